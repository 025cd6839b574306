package io.personalize.online;

import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalUserRow;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Initializer;
import io.personalize.model.LearnedSettings;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SelfTuningTrainer;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import io.personalize.model.features.ItemCatalog;
import io.personalize.rank.RankingSteps;
import io.personalize.util.BoundedLruMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The global operator's model: SGD on every event with the full global model, learning its own step
 * sizes, early steps and new users' initial row from the stream ({@link SelfTuningTrainer}), and
 * the versioned, sparse gradient checkpoints of its shared block, each with what has been learned
 * ({@link LearnedSettings}) for the per-user side.
 *
 * <p>A checkpoint is the change since the previous one of every item and feature weight touched in
 * between. Deltas are taken against a mirror of what receivers hold (the published state), and the
 * mirror is advanced by exactly the rounded amounts sent, so float rounding never accumulates into
 * a gap between this model and its replicas. An item new to a receiver starts from zero, so an
 * item's first delta carries its whole value.
 *
 * <p>User rows (b_u, q_u) are not shared and never leave this model. They are capped at {@code
 * maxUsers}: the least recently seen user's row is dropped first, and a returning user restarts
 * from the initial row. A row not used for {@code userIdleMillis} of event time (the latest event
 * time learned) is dropped too, as the per-user operators forget an idle user: without it, users
 * who come once would fill the map up to {@code maxUsers}, on the heap and in every checkpoint.
 */
public final class GlobalModel {
  private final Model model;
  private final String objective;
  private final ItemCatalog catalog;
  private final SharedParameters published;
  private final SelfTuningTrainer trainer;
  private final BoundedLruMap<String, GlobalUserRow> userRows;

  /** The shared block the last checkpoint was taken from; another one after a race was won. */
  private SharedParameters checkpointed;

  private boolean[] dirtyItems = new boolean[64];
  private final List<Integer> dirtyItemList = new ArrayList<>();
  private long[] pendingCounts = new long[64];
  private final boolean[] dirtyFeatures;
  private final List<Integer> dirtyFeatureList = new ArrayList<>();
  private long version;
  private long eventsLearned;
  private long eventsSinceCheckpoint;
  private long maxEventTime;

  private final long userIdleMillis;

  /** A model that keeps user rows however long they are idle (up to {@code maxUsers}). */
  public GlobalModel(ModelConfig config, FeatureSpace space, double initialMean, int maxUsers) {
    this(config, space, initialMean, maxUsers, Long.MAX_VALUE);
  }

  /**
   * @param userIdleMillis a user row not used for this long of event time is dropped
   */
  public GlobalModel(
      ModelConfig config,
      FeatureSpace space,
      double initialMean,
      int maxUsers,
      long userIdleMillis) {
    if (userIdleMillis < 1) {
      throw new IllegalArgumentException("userIdleMillis must be >= 1, was " + userIdleMillis);
    }
    this.userIdleMillis = userIdleMillis;
    this.model = config.model(space.dimension());
    this.objective = ModelDelta.objectiveOf(config);
    this.catalog = new ItemCatalog(space);
    Initializer initializer = config.initializer();
    SharedParameters shared =
        new SharedParameters(
            model.factors(),
            space.dimension(),
            initialMean,
            initializer,
            item -> Ids.hash(catalog.id(item)));
    this.published =
        new SharedParameters(
            model.factors(), space.dimension(), initialMean, new Initializer(config.seed(), 0));
    this.trainer =
        new SelfTuningTrainer(
            model,
            shared,
            initializer,
            config.globalSteps(),
            config.globalRegularization(),
            config.tuning());
    this.checkpointed = shared;
    this.dirtyFeatures = new boolean[space.dimension()];
    this.userRows = new BoundedLruMap<>(maxUsers);
  }

  public Model model() {
    return model;
  }

  public long version() {
    return version;
  }

  /** What the model has learned about the stream (step sizes, early steps, initial row). */
  public LearnedSettings settings() {
    return trainer.settings();
  }

  /** Step-size races finished so far. */
  public long races() {
    return trainer.races();
  }

  public int users() {
    return userRows.size();
  }

  /** User rows dropped so far because they were idle for {@code userIdleMillis}. */
  public long usersExpired() {
    return userRows.expirations();
  }

  /** User rows dropped so far because more than {@code maxUsers} users were active. */
  public long usersEvicted() {
    return userRows.evictions();
  }

  public int items() {
    return catalog.size();
  }

  /** How many items have metadata: with none, a model over item features has no features. */
  public int itemsDescribed() {
    return catalog.described();
  }

  public void describeItem(String itemId, ItemDescription description) {
    ensureItem(itemId);
    catalog.describe(itemId, description);
  }

  /**
   * Predicts the event with the global model, then learns it; returns the prediction made before
   * learning (the global mode's prequential prediction).
   */
  public double learn(String userId, String itemId, double label, long eventTimeMillis) {
    int item = ensureItem(itemId);
    GlobalUserRow row = userRow(userId, eventTimeMillis);
    FeatureVector x = catalog.features(item);
    double prediction = trainer.learn(row, item, x, label);
    markDirty(item, x);
    catalog.addCount(item, 1);
    pendingCounts[item]++;
    eventsLearned++;
    eventsSinceCheckpoint++;
    maxEventTime = Math.max(maxEventTime, eventTimeMillis);
    return prediction;
  }

  /**
   * Learns the examples {@code steps} planned for one event of the ranking model (the positive and
   * its negatives, planned with this model's item indices, see {@link #item}) and counts the event
   * once, on the positive's item. Returns the prediction of the positive before learning, NaN for
   * an empty plan (an event kind of weight 0), which counts nothing.
   */
  public double learnExamples(String userId, RankingSteps steps, long eventTimeMillis) {
    if (steps.size() == 0) {
      return Double.NaN;
    }
    GlobalUserRow user = userRow(userId, eventTimeMillis);
    double positive = steps.learnGlobal(trainer.trainer(), trainer.row(user), catalog::features);
    for (int e = 0; e < steps.size(); e++) {
      int item = steps.item(e);
      markDirty(item, catalog.features(item));
    }
    int item = steps.item(0);
    catalog.addCount(item, 1);
    pendingCounts[item]++;
    eventsLearned++;
    eventsSinceCheckpoint++;
    maxEventTime = Math.max(maxEventTime, eventTimeMillis);
    return positive;
  }

  /**
   * The user's row, new if the user is new or was idle for {@code userIdleMillis}, after dropping
   * the rows of the users idle that long.
   */
  private GlobalUserRow userRow(String userId, long eventTimeMillis) {
    long now = Math.max(maxEventTime, eventTimeMillis);
    if (userIdleMillis != Long.MAX_VALUE && now > Long.MIN_VALUE + userIdleMillis) {
      // Idle for userIdleMillis when last seen + userIdleMillis <= now, as a per-user operator's
      // timer fires at its watermark (which trails the latest event by the out-of-orderness).
      userRows.expireSeenBefore(now - userIdleMillis + 1, now);
    }
    GlobalUserRow row = userRows.computeIfAbsent(userId, id -> trainer.newUser(Ids.hash(id)));
    if (userIdleMillis != Long.MAX_VALUE) {
      userRows.seen(userId, eventTimeMillis);
    }
    return row;
  }

  /** The index of an item in this model, adding the item when it is new. */
  public int item(String itemId) {
    return ensureItem(itemId);
  }

  public long eventsSinceCheckpoint() {
    return eventsSinceCheckpoint;
  }

  /** Closes the change since the last checkpoint; null when nothing changed. */
  public ModelDelta closeCheckpoint(long nowMillis) {
    if (eventsSinceCheckpoint == 0 && dirtyItemList.isEmpty()) {
      return null;
    }
    SharedParameters shared = trainer.shared();
    if (shared != checkpointed) {
      // A race was won by a challenger: its shared block is the model now, and anything in it
      // may differ from what the replicas hold.
      checkpointed = shared;
      if (catalog.size() > 0) {
        shared.ensureItem(catalog.size() - 1); // items described but not learned since the copy
      }
      markEverythingDirty();
    }
    int k = model.factors();
    int n = dirtyItemList.size();
    ModelDelta delta = new ModelDelta();
    delta.itemIds = new String[n];
    delta.itemBiasDeltas = new double[n];
    delta.itemFactorDeltas = new float[n * k];
    delta.itemCountDeltas = new long[n];
    double[] p = shared.itemFactors();
    double[] mirror = published.itemFactors();
    for (int d = 0; d < n; d++) {
      int item = dirtyItemList.get(d);
      double biasDelta = shared.itemBias(item) - published.itemBias(item);
      published.addItemBias(item, biasDelta);
      for (int f = 0; f < k; f++) {
        float change = (float) (p[item * k + f] - mirror[item * k + f]);
        mirror[item * k + f] += change;
        delta.itemFactorDeltas[d * k + f] = change;
      }
      delta.itemIds[d] = catalog.id(item);
      delta.itemBiasDeltas[d] = biasDelta;
      delta.itemCountDeltas[d] = pendingCounts[item];
      pendingCounts[item] = 0;
      dirtyItems[item] = false;
    }
    dirtyItemList.clear();
    int m = dirtyFeatureList.size();
    delta.featureIndices = new int[m];
    delta.featureDeltas = new double[m];
    double[] w = shared.featureWeights();
    double[] pw = published.featureWeights();
    for (int d = 0; d < m; d++) {
      int j = dirtyFeatureList.get(d);
      double change = w[j] - pw[j];
      pw[j] += change;
      delta.featureIndices[d] = j;
      delta.featureDeltas[d] = change;
      dirtyFeatures[j] = false;
    }
    dirtyFeatureList.clear();
    delta.meanDelta = shared.mean - published.mean;
    published.mean += delta.meanDelta;
    delta.previousVersion = version;
    version++;
    eventsSinceCheckpoint = 0;
    delta.modelKind = model.kind().name();
    delta.objective = objective;
    delta.version = version;
    delta.createdAtMillis = nowMillis;
    delta.eventsCovered = eventsLearned;
    delta.factors = k;
    delta.featureDimension = model.featureDimension();
    delta.maxEventTimeMillis = maxEventTime;
    delta.settings = trainer.settings().copy();
    return delta;
  }

  private void markEverythingDirty() {
    for (int item = 0; item < catalog.size(); item++) {
      if (!dirtyItems[item]) {
        dirtyItems[item] = true;
        dirtyItemList.add(item);
      }
    }
    for (int j = 0; j < dirtyFeatures.length; j++) {
      if (!dirtyFeatures[j]) {
        dirtyFeatures[j] = true;
        dirtyFeatureList.add(j);
      }
    }
  }

  private int ensureItem(String itemId) {
    int item = catalog.indexOf(itemId);
    SharedParameters shared = trainer.shared();
    if (item >= shared.items()) {
      shared.ensureItem(item);
      published.ensureItem(item);
      if (item >= dirtyItems.length) {
        dirtyItems = Arrays.copyOf(dirtyItems, Math.max(item + 1, dirtyItems.length * 2));
        pendingCounts = Arrays.copyOf(pendingCounts, dirtyItems.length);
      }
    }
    return item;
  }

  private void markDirty(int item, FeatureVector x) {
    if (!dirtyItems[item]) {
      dirtyItems[item] = true;
      dirtyItemList.add(item);
    }
    if (model.kind().usesFeatures()) {
      for (int n = 0; n < x.size(); n++) {
        int j = x.index(n);
        if (!dirtyFeatures[j]) {
          dirtyFeatures[j] = true;
          dirtyFeatureList.add(j);
        }
      }
    }
  }

  /** Everything needed to continue after a restart, as a Flink POJO. */
  public GlobalModelSnapshot snapshot() {
    GlobalModelSnapshot s = new GlobalModelSnapshot();
    SharedParameters shared = trainer.shared();
    int n = catalog.size();
    int k = model.factors();
    s.version = version;
    s.eventsLearned = eventsLearned;
    s.eventsSinceCheckpoint = eventsSinceCheckpoint;
    s.maxEventTimeMillis = maxEventTime;
    s.mean = shared.mean;
    s.publishedMean = published.mean;
    s.featureWeights = shared.featureWeights().clone();
    s.publishedFeatureWeights = published.featureWeights().clone();
    s.itemIds = new String[n];
    s.itemBias = new double[n];
    s.publishedItemBias = new double[n];
    s.itemFactors = Arrays.copyOf(shared.itemFactors(), n * k);
    s.publishedItemFactors = Arrays.copyOf(published.itemFactors(), n * k);
    s.itemCounts = new long[n];
    s.pendingCounts = Arrays.copyOf(pendingCounts, n);
    for (int i = 0; i < n; i++) {
      s.itemIds[i] = catalog.id(i);
      s.itemBias[i] = shared.itemBias(i);
      s.publishedItemBias[i] = published.itemBias(i);
      s.itemCounts[i] = catalog.count(i);
    }
    s.descriptionIndices = new int[n][];
    s.descriptionValues = new double[n][];
    for (int i = 0; i < n; i++) {
      s.descriptionIndices[i] = catalog.description(i).indices();
      s.descriptionValues[i] = catalog.description(i).values();
    }
    s.userIds = userRows.keySet().toArray(new String[0]);
    s.userBias = new double[s.userIds.length];
    s.userFactors = new double[s.userIds.length * k];
    s.userEvents = new long[s.userIds.length];
    for (int u = 0; u < s.userIds.length; u++) {
      GlobalUserRow user = userRows.get(s.userIds[u]);
      PersonalParameters row = trainer.row(user);
      s.userBias[u] = row.bias;
      s.userEvents[u] = user.events;
      System.arraycopy(row.factors, 0, s.userFactors, u * k, row.factors.length);
    }
    s.learned = trainer.settings().copy();
    s.learned.racing = false;
    s.tunerEvents = trainer.events();
    s.earlyLosses = trainer.earlyLosses();
    s.earlyEvents = trainer.earlyEvents();
    return s;
  }

  /** Restores a snapshot into this freshly built model (same configuration). */
  public void restore(GlobalModelSnapshot s) {
    IncompatibleStateException.check(
        "a global model",
        s.itemIds.length,
        s.itemFactors.length,
        s.featureWeights.length,
        model.factors(),
        trainer.shared().featureWeights().length);
    if (s.learned != null) {
      trainer.restore(s.learned, s.tunerEvents, s.earlyLosses, s.earlyEvents);
    }
    SharedParameters shared = trainer.shared();
    int k = model.factors();
    version = s.version;
    eventsLearned = s.eventsLearned;
    eventsSinceCheckpoint = s.eventsSinceCheckpoint;
    maxEventTime = s.maxEventTimeMillis;
    shared.mean = s.mean;
    published.mean = s.publishedMean;
    System.arraycopy(s.featureWeights, 0, shared.featureWeights(), 0, s.featureWeights.length);
    System.arraycopy(
        s.publishedFeatureWeights,
        0,
        published.featureWeights(),
        0,
        s.publishedFeatureWeights.length);
    for (int i = 0; i < s.itemIds.length; i++) {
      int item = ensureItem(s.itemIds[i]);
      shared.addItemBias(item, s.itemBias[i] - shared.itemBias(item));
      published.addItemBias(item, s.publishedItemBias[i] - published.itemBias(item));
      System.arraycopy(s.itemFactors, i * k, shared.itemFactors(), item * k, k);
      System.arraycopy(s.publishedItemFactors, i * k, published.itemFactors(), item * k, k);
      catalog.addCount(item, s.itemCounts[i]);
      trainer.restoreItemEvents(item, s.itemCounts[i]);
      pendingCounts[item] = s.pendingCounts[i];
      catalog.describe(
          s.itemIds[i], new ItemDescription(s.descriptionIndices[i], s.descriptionValues[i]));
      // Anything that may differ from the mirror is sent again with the next checkpoint.
      dirtyItems[item] = true;
      dirtyItemList.add(item);
    }
    for (int j = 0; j < dirtyFeatures.length; j++) {
      dirtyFeatures[j] = true;
      dirtyFeatureList.add(j);
    }
    for (int u = 0; u < s.userIds.length; u++) {
      // A snapshot from before user counts were kept: the users count as past their first events.
      long events = u < s.userEvents.length ? s.userEvents[u] : Long.MAX_VALUE / 2;
      GlobalUserRow user = trainer.newUser(Ids.hash(s.userIds[u]), events);
      PersonalParameters row = trainer.row(user);
      row.bias = s.userBias[u];
      System.arraycopy(s.userFactors, u * k, row.factors, 0, row.factors.length);
      userRows.put(s.userIds[u], user);
      // The snapshot keeps no time per user: each counts as seen at the latest event time then.
      if (userIdleMillis != Long.MAX_VALUE) {
        userRows.seen(s.userIds[u], s.maxEventTimeMillis);
      }
    }
  }
}
