package io.personalize.connectors.avro;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.ModelKind;
import io.personalize.avro.Objective;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.model.EventKind;
import io.personalize.model.LearnedSettings;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import io.personalize.online.ModelDelta;
import io.personalize.state.RecommendationView;
import io.personalize.validation.EventValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Between the wire formats (Avro records of {@code schemas/}) and the plain-Java types of {@code
 * core/}, which knows no Avro: one place for every conversion, in both directions where both are
 * needed.
 */
public final class CoreRecords {
  private CoreRecords() {}

  /** A delta of the global model as the {@code GradientCheckpoint} of the model-update feed. */
  public static GradientCheckpoint toAvro(ModelDelta delta) {
    int k = delta.factors;
    List<ItemParameterDelta> items = new ArrayList<>(delta.items());
    for (int d = 0; d < delta.items(); d++) {
      List<Float> factors = new ArrayList<>(k);
      for (int f = 0; f < k; f++) {
        factors.add(delta.itemFactorDeltas[d * k + f]);
      }
      items.add(
          ItemParameterDelta.newBuilder()
              .setItemId(delta.itemIds[d])
              .setBiasDelta(delta.itemBiasDeltas[d])
              .setFactorDelta(factors)
              .setCountDelta(delta.itemCountDeltas[d])
              .build());
    }
    List<FeatureWeightDelta> features = new ArrayList<>(delta.featureIndices.length);
    for (int d = 0; d < delta.featureIndices.length; d++) {
      features.add(
          FeatureWeightDelta.newBuilder()
              .setIndex(delta.featureIndices[d])
              .setDelta(delta.featureDeltas[d])
              .build());
    }
    return GradientCheckpoint.newBuilder()
        .setModelKind(ModelKind.valueOf(delta.modelKind))
        .setObjective(Objective.valueOf(delta.objective))
        .setVersion(delta.version)
        .setPreviousVersion(delta.previousVersion)
        .setCreatedAtMillis(delta.createdAtMillis)
        .setEventsCovered(delta.eventsCovered)
        .setFactors(k)
        .setFeatureDimension(delta.featureDimension)
        .setGlobalMeanDelta(delta.meanDelta)
        .setItemDeltas(items)
        .setFeatureWeightDeltas(features)
        .setMaxEventTimeMillis(delta.maxEventTimeMillis)
        .setLearnedSettings(delta.settings == null ? null : toAvro(delta.settings))
        .build();
  }

  /** What the global model learned from the stream, as the checkpoint's Avro record. */
  static io.personalize.avro.LearnedSettings toAvro(LearnedSettings s) {
    List<Double> initialFactors = new ArrayList<>(s.initialFactors.length);
    for (double v : s.initialFactors) {
      initialFactors.add(v);
    }
    return io.personalize.avro.LearnedSettings.newBuilder()
        .setBiasStepMultiplier(s.biasMultiplier)
        .setFactorStepMultiplier(s.factorMultiplier)
        .setEarlyStepMultiplier(s.earlyMultiplier)
        .setFirstEvents(s.firstEvents)
        .setInitialBias(s.initialBias)
        .setInitialFactors(initialFactors)
        .setRaces(s.races)
        .setRacing(s.racing)
        .build();
  }

  static LearnedSettings fromAvro(io.personalize.avro.LearnedSettings a) {
    LearnedSettings s = new LearnedSettings();
    s.biasMultiplier = a.getBiasStepMultiplier();
    s.factorMultiplier = a.getFactorStepMultiplier();
    s.earlyMultiplier = a.getEarlyStepMultiplier();
    s.firstEvents = a.getFirstEvents();
    s.initialBias = a.getInitialBias();
    s.initialFactors = a.getInitialFactors().stream().mapToDouble(Double::doubleValue).toArray();
    s.races = a.getRaces();
    s.racing = a.getRacing();
    return s;
  }

  /**
   * A checkpoint read from the model-update feed as a delta a replica applies. Factor deltas
   * shorter than {@code factors} are padded with zeros, longer ones cut.
   */
  public static ModelDelta fromAvro(GradientCheckpoint checkpoint) {
    ModelDelta delta = new ModelDelta();
    int k = checkpoint.getFactors();
    int n = checkpoint.getItemDeltas().size();
    delta.modelKind = checkpoint.getModelKind().name();
    delta.objective = checkpoint.getObjective().name();
    delta.version = checkpoint.getVersion();
    delta.previousVersion = checkpoint.getPreviousVersion();
    delta.createdAtMillis = checkpoint.getCreatedAtMillis();
    delta.eventsCovered = checkpoint.getEventsCovered();
    delta.maxEventTimeMillis = checkpoint.getMaxEventTimeMillis();
    delta.factors = k;
    delta.featureDimension = checkpoint.getFeatureDimension();
    delta.meanDelta = checkpoint.getGlobalMeanDelta();
    delta.itemIds = new String[n];
    delta.itemBiasDeltas = new double[n];
    delta.itemFactorDeltas = new float[n * k];
    delta.itemCountDeltas = new long[n];
    for (int d = 0; d < n; d++) {
      ItemParameterDelta item = checkpoint.getItemDeltas().get(d);
      delta.itemIds[d] = item.getItemId();
      delta.itemBiasDeltas[d] = item.getBiasDelta();
      delta.itemCountDeltas[d] = item.getCountDelta();
      List<Float> factors = item.getFactorDelta();
      for (int f = 0; f < k && f < factors.size(); f++) {
        delta.itemFactorDeltas[d * k + f] = factors.get(f);
      }
    }
    int m = checkpoint.getFeatureWeightDeltas().size();
    delta.featureIndices = new int[m];
    delta.featureDeltas = new double[m];
    for (int d = 0; d < m; d++) {
      delta.featureIndices[d] = checkpoint.getFeatureWeightDeltas().get(d).getIndex();
      delta.featureDeltas[d] = checkpoint.getFeatureWeightDeltas().get(d).getDelta();
    }
    if (checkpoint.getLearnedSettings() != null) {
      delta.settings = fromAvro(checkpoint.getLearnedSettings());
    }
    return delta;
  }

  /** Group boundaries as the Avro record the coordinator broadcasts. */
  public static io.personalize.avro.GroupBoundaries toAvro(
      io.personalize.model.GroupBoundaries boundaries, long users, long computedAtMillis) {
    return io.personalize.avro.GroupBoundaries.newBuilder()
        .setVersion(boundaries.version())
        .setGroups(boundaries.groups())
        .setLogCountMin(boundaries.logCountMin())
        .setLogCountMax(boundaries.logCountMax())
        .setUsers(users)
        .setComputedAtMillis(computedAtMillis)
        .build();
  }

  public static io.personalize.model.GroupBoundaries fromAvro(
      io.personalize.avro.GroupBoundaries b) {
    return new io.personalize.model.GroupBoundaries(
        b.getVersion(), b.getGroups(), b.getLogCountMin(), b.getLogCountMax());
  }

  /** A user's list (or the global fallback list) as published on the recommendations topic. */
  public static RecommendationList toAvro(RecommendationView view) {
    List<ScoredItem> items = new ArrayList<>(view.itemIds.length);
    for (int n = 0; n < view.itemIds.length; n++) {
      items.add(new ScoredItem(view.itemIds[n], view.scores[n], view.sources[n]));
    }
    return RecommendationList.newBuilder()
        .setUserId(view.userId)
        .setGeneratedAtMillis(view.generatedAtMillis)
        .setModelVersion(view.modelVersion)
        .setItems(items)
        .setGraphVersion(view.graphVersion)
        .setRecommender(view.recommender)
        .setFallback(view.fallback)
        .setEventTimeMillis(view.eventTimeMillis)
        .setUserEvents(view.userEvents)
        .build();
  }

  /** Item metadata (the wire format) as the static part of the item's features. */
  public static ItemDescription describe(FeatureSpace space, ItemMetadata item) {
    return space.describe(
        item.getGenres() == null ? List.of() : item.getGenres(),
        item.getYear(),
        item.getFeatures() == null ? Map.of() : item.getFeatures());
  }

  /** The dead-letter reason of a validation rule. */
  public static DeadLetterReason reason(EventValidator.Reason reason) {
    return DeadLetterReason.valueOf(reason.name());
  }

  /** The Avro event type of an event kind: the symbol of the same name. */
  public static EventType eventType(EventKind kind) {
    return EventType.valueOf(kind.name());
  }
}
