package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;

import io.personalize.job.config.JobConfig;
import io.personalize.model.RatingScale;
import io.personalize.neighbours.ItemPartners;
import io.personalize.neighbours.NeighbourCorrection;
import io.personalize.neighbours.NeighbourRequest;
import io.personalize.neighbours.NeighbourSettings;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.online.Prediction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * With {@code model.neighbours}: the item neighbourhoods, keyed by an item's id hash, each item's
 * residual sums with its partners ({@code item-partners}, {@link ItemPartners} packed). A rating's
 * request ({@link NeighbourRequest}) is corrected with the item's sums as they are ({@link
 * NeighbourCorrection}: the evaluator's code), sent on clamped to the metrics, and then added to
 * them; partner updates ({@link PartnerUpdates}, merged per item by a {@link CombiningOperator})
 * are added too.
 *
 * <p>Partner updates are held back: appended to {@code item-held-updates}, which reads nothing (a
 * list state's add is a RocksDB merge), and added to the sums, in the order they came, when the
 * item's sums are next read (its next rating's request, its idle timer) or when {@value
 * #HELD_UPDATES} are held. Only a request reads the sums, so the corrections are those of adding
 * every update at once; but most records are updates (on a 10^5-user stream 13 or 14 per rating),
 * and each used to read and write the item's whole sums, up to 24 KB.
 *
 * <p>No rating corrects itself: its request adds it to its own item's sums after the correction,
 * and it reaches an item's sums as a partner only through the requests and updates of the user's
 * later ratings, which the per-user operator sends after this request.
 *
 * <p>An item's state leaves with its one event-time timer, {@code users.idle-expiry} after the
 * latest rating in it, as a user's state does.
 */
public class ItemNeighboursFunction
    extends KeyedCoProcessFunction<Integer, NeighbourRequest, PartnerUpdates, Prediction> {
  /** The most partner updates an item holds back: its state stays bounded by items. */
  public static final int HELD_UPDATES = 64;

  private final JobConfig config;
  private transient NeighbourSettings settings;
  private transient NeighbourCorrection correction;
  private transient RatingScale scale;
  private transient long idleMillis;
  private transient ValueState<PackedPartners> partnersState;
  private transient ListState<PartnerUpdates> heldState;
  private transient ValueState<Integer> heldCountState;
  private transient Counter itemsExpired;

  public ItemNeighboursFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext context) {
    settings = config.neighbours();
    correction = new NeighbourCorrection(settings);
    scale = config.scale();
    idleMillis = config.millis(USER_IDLE_EXPIRY);
    partnersState = getRuntimeContext().getState(Descriptors.itemPartners());
    heldState = getRuntimeContext().getListState(Descriptors.itemHeldUpdates());
    heldCountState = getRuntimeContext().getState(Descriptors.itemHeldUpdateCount());
    itemsExpired = getRuntimeContext().getMetricGroup().counter("neighbour-items-expired");
  }

  @Override
  public void processElement1(NeighbourRequest request, Context ctx, Collector<Prediction> out)
      throws Exception {
    ItemPartners partners = partners(heldCount(ctx));
    Prediction prediction = request.prediction;
    prediction.prediction =
        scale.clamp(
            prediction.prediction
                + correction.of(
                    request.history,
                    request.modelResiduals,
                    request.history.length,
                    request.item,
                    partners));
    out.collect(prediction);
    request.applyTo(partners, settings.partners());
    store(partners, prediction.eventTimeMillis);
  }

  @Override
  public void processElement2(PartnerUpdates updates, Context ctx, Collector<Prediction> out)
      throws Exception {
    int held = heldCount(ctx);
    if (held + 1 < HELD_UPDATES) {
      heldState.add(updates);
      heldCountState.update(held + 1);
      return;
    }
    ItemPartners partners = partners(held);
    updates.applyTo(partners, settings.partners());
    store(partners, updates.latestMillis);
  }

  /** The updates the item holds back; an item new to this operator gets its one timer. */
  private int heldCount(Context ctx) throws Exception {
    Integer held = heldCountState.value();
    if (held == null) {
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + idleMillis);
      return 0;
    }
    return held;
  }

  /** The item's sums with the {@code held} updates it held back added, in the order they came. */
  private ItemPartners partners(int held) throws Exception {
    PackedPartners packed = partnersState.value();
    ItemPartners partners = packed == null ? new ItemPartners() : packed.unpack();
    if (held > 0) {
      for (PartnerUpdates updates : heldState.get()) {
        updates.applyTo(partners, settings.partners());
        partners.latestMillis = Math.max(partners.latestMillis, updates.latestMillis);
      }
      heldState.clear();
    }
    return partners;
  }

  /** Stores the sums with nothing held back. */
  private void store(ItemPartners partners, long eventTimeMillis) throws Exception {
    partners.latestMillis = Math.max(partners.latestMillis, eventTimeMillis);
    partnersState.update(new PackedPartners(partners));
    heldCountState.update(0);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    Integer held = heldCountState.value();
    // No count but sums: state written before updates were held back (2026-12-06).
    if (held == null && partnersState.value() == null) {
      return;
    }
    ItemPartners partners = partners(held == null ? 0 : held);
    long deadline = partners.latestMillis + idleMillis;
    if (deadline > timestamp) {
      if (held != null && held > 0) {
        store(partners, partners.latestMillis);
      }
      ctx.timerService().registerEventTimeTimer(deadline); // rated since: move the one timer
      return;
    }
    partnersState.clear();
    heldState.clear();
    heldCountState.clear();
    itemsExpired.inc();
  }
}
