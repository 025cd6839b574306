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
 * are added as they come.
 *
 * <p>No rating corrects itself: its request adds it to its own item's sums after the correction,
 * and it reaches an item's sums as a partner only through the requests and updates of the user's
 * later ratings, which the per-user operator sends after this request.
 *
 * <p>An item's sums leave with their one event-time timer, {@code users.idle-expiry} after the
 * latest rating in them, as a user's state does.
 */
public class ItemNeighboursFunction
    extends KeyedCoProcessFunction<Integer, NeighbourRequest, PartnerUpdates, Prediction> {
  private final JobConfig config;
  private transient NeighbourSettings settings;
  private transient NeighbourCorrection correction;
  private transient RatingScale scale;
  private transient long idleMillis;
  private transient ValueState<PackedPartners> partnersState;
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
    itemsExpired = getRuntimeContext().getMetricGroup().counter("neighbour-items-expired");
  }

  @Override
  public void processElement1(NeighbourRequest request, Context ctx, Collector<Prediction> out)
      throws Exception {
    ItemPartners partners = partners(ctx);
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
    ItemPartners partners = partners(ctx);
    updates.applyTo(partners, settings.partners());
    store(partners, updates.latestMillis);
  }

  /** The item's sums, new ones with the item's one timer. */
  private ItemPartners partners(Context ctx) throws Exception {
    PackedPartners packed = partnersState.value();
    if (packed == null) {
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + idleMillis);
      return new ItemPartners();
    }
    return packed.unpack();
  }

  private void store(ItemPartners partners, long eventTimeMillis) throws Exception {
    partners.latestMillis = Math.max(partners.latestMillis, eventTimeMillis);
    partnersState.update(new PackedPartners(partners));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    PackedPartners packed = partnersState.value();
    if (packed == null) {
      return;
    }
    long deadline = packed.unpack().latestMillis + idleMillis;
    if (deadline > timestamp) {
      ctx.timerService().registerEventTimeTimer(deadline); // rated since: move the one timer
      return;
    }
    partnersState.clear();
    itemsExpired.inc();
  }
}
