package io.personalize.online;

import io.personalize.model.FeatureVector;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Initializer;
import io.personalize.model.LearnedSettings;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import io.personalize.model.features.ItemCatalog;
import io.personalize.util.VersionedDeltaQueue;
import java.util.function.Consumer;

/**
 * A per-user operator's copy of the global model's shared block, advanced by gradient checkpoints.
 *
 * <p>Checkpoints arrive on their own channel and may overtake the events they cover. To keep
 * prequential scoring honest, a checkpoint is queued and applied only when the caller says every
 * event up to the checkpoint's {@code maxEventTimeMillis} has been scored ({@link #advanceTo}; the
 * Flink operator passes its watermark), so no event is scored with parameters that already learned
 * it. Checkpoints apply in version order; a gap (a missed version) is counted and applied anyway,
 * since every delta is relative and the next ones still move the replica toward the master (the
 * queue is {@link VersionedDeltaQueue}, shared with the item graph's replica).
 */
public final class SharedReplica {
  private final Model model;
  private final String objective;
  private final ItemCatalog catalog;
  private final SharedParameters shared;
  private final VersionedDeltaQueue<ModelDelta> checkpoints =
      new VersionedDeltaQueue<>(this::apply);
  private Consumer<ModelDelta> applied = checkpoint -> {};
  private LearnedSettings settings;

  public SharedReplica(ModelConfig config, FeatureSpace space, double initialMean) {
    this.model = config.model(space.dimension());
    this.objective = ModelDelta.objectiveOf(config);
    this.catalog = new ItemCatalog(space);
    // Items a checkpoint has not mentioned yet start from zero, as ModelDelta documents.
    this.shared =
        new SharedParameters(
            model.factors(), space.dimension(), initialMean, new Initializer(config.seed(), 0));
  }

  public SharedParameters shared() {
    return shared;
  }

  /**
   * What the global model had learned as of the last applied checkpoint that said it; null before
   * any did.
   */
  public LearnedSettings settings() {
    return settings;
  }

  public long version() {
    return checkpoints.version();
  }

  /** Checkpoints applied whose previous version was not this replica's version (one was missed). */
  public long gaps() {
    return checkpoints.gaps();
  }

  /** Checkpoints skipped because their version was already applied (at-least-once redelivery). */
  public long duplicates() {
    return checkpoints.duplicates();
  }

  /** Checkpoints received but not applied yet (waiting for the watermark). */
  public int pending() {
    return checkpoints.pending();
  }

  /** Queues a checkpoint; it applies before the first event later than what it covers. */
  public void offer(ModelDelta checkpoint) {
    if (!model.kind().name().equals(checkpoint.modelKind)
        || !objective.equals(checkpoint.objective)) {
      return;
    }
    checkpoints.offer(checkpoint);
  }

  /**
   * Applies every queued checkpoint whose events all lie before {@code completeBefore}, the time
   * before which every event has been scored.
   */
  public void advanceTo(long completeBefore) {
    checkpoints.advanceTo(completeBefore);
  }

  /** Calls {@code listener} with each checkpoint right after it is applied. */
  public void onApplied(Consumer<ModelDelta> listener) {
    this.applied = listener;
  }

  private void apply(ModelDelta checkpoint) {
    shared.mean += checkpoint.meanDelta;
    int k = model.factors();
    int sentFactors = Math.min(k, checkpoint.factors);
    for (int d = 0; d < checkpoint.itemIds.length; d++) {
      int item = item(checkpoint.itemIds[d]);
      double[] p = shared.itemFactors(); // item() may have grown the array
      shared.addItemBias(item, checkpoint.itemBiasDeltas[d]);
      for (int f = 0; f < sentFactors; f++) {
        p[item * k + f] += checkpoint.itemFactorDeltas[d * checkpoint.factors + f];
      }
      catalog.addCount(item, checkpoint.itemCountDeltas[d]);
    }
    double[] w = shared.featureWeights();
    for (int d = 0; d < checkpoint.featureIndices.length; d++) {
      int j = checkpoint.featureIndices[d];
      if (j >= 0 && j < w.length) {
        w[j] += checkpoint.featureDeltas[d];
      }
    }
    if (checkpoint.settings != null) {
      settings = checkpoint.settings;
    }
    applied.accept(checkpoint);
  }

  /** The item's index in this replica, adding it (zero parameters) when new. */
  public int item(String itemId) {
    int item = catalog.indexOf(itemId);
    shared.ensureItem(item);
    return item;
  }

  public FeatureVector features(int item) {
    return catalog.features(item);
  }

  /** The item's metadata vector, without popularity (see {@link ItemCatalog#metadata}). */
  public FeatureVector metadata(int item) {
    return catalog.metadata(item);
  }

  public void describeItem(String itemId, ItemDescription description) {
    item(itemId);
    catalog.describe(itemId, description);
  }

  public int items() {
    return catalog.size();
  }

  /** The id of the item at index {@code item}. */
  public String itemId(int item) {
    return catalog.id(item);
  }

  public ReplicaSnapshot snapshot() {
    ReplicaSnapshot s = new ReplicaSnapshot();
    int n = catalog.size();
    int k = model.factors();
    s.version = checkpoints.version();
    s.gaps = checkpoints.gaps();
    s.mean = shared.mean;
    s.featureWeights = shared.featureWeights().clone();
    s.itemIds = new String[n];
    s.itemBias = new double[n];
    s.itemFactors = java.util.Arrays.copyOf(shared.itemFactors(), n * k);
    s.itemCounts = new long[n];
    s.descriptionIndices = new int[n][];
    s.descriptionValues = new double[n][];
    for (int i = 0; i < n; i++) {
      s.itemIds[i] = catalog.id(i);
      s.itemBias[i] = shared.itemBias(i);
      s.itemCounts[i] = catalog.count(i);
      s.descriptionIndices[i] = catalog.description(i).indices();
      s.descriptionValues[i] = catalog.description(i).values();
    }
    s.pending = checkpoints.pendingDeltas();
    s.settings = settings;
    return s;
  }

  /** Restores a snapshot into this freshly built replica (same configuration). */
  public void restore(ReplicaSnapshot s) {
    int k = model.factors();
    IncompatibleStateException.check(
        "a global model's replica",
        s.itemIds.length,
        s.itemFactors.length,
        s.featureWeights.length,
        k,
        shared.featureWeights().length);
    shared.mean = s.mean;
    System.arraycopy(s.featureWeights, 0, shared.featureWeights(), 0, s.featureWeights.length);
    for (int i = 0; i < s.itemIds.length; i++) {
      int item = item(s.itemIds[i]);
      shared.addItemBias(item, s.itemBias[i]);
      System.arraycopy(s.itemFactors, i * k, shared.itemFactors(), item * k, k);
      catalog.addCount(item, s.itemCounts[i]);
      catalog.describe(
          s.itemIds[i], new ItemDescription(s.descriptionIndices[i], s.descriptionValues[i]));
    }
    checkpoints.restore(s.version, s.gaps, s.pending);
    settings = s.settings;
  }
}
