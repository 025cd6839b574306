package io.personalize.job;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GroupBoundaries;
import io.personalize.graph.GraphDelta;
import io.personalize.graph.GraphReplicaSnapshot;
import io.personalize.graph.ItemEdges;
import io.personalize.graph.ItemPair;
import io.personalize.graph.UserSequence;
import io.personalize.model.SelectorSnapshot;
import io.personalize.neighbours.NeighbourRequest;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.neighbours.UserResiduals;
import io.personalize.online.CountsSnapshot;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.ModelDelta;
import io.personalize.online.ReplicaSnapshot;
import io.personalize.online.ScoreboardSnapshot;
import io.personalize.online.UserState;
import io.personalize.rank.PopularitySnapshot;
import io.personalize.recommend.SeenItems;
import io.personalize.state.PersonalModelView;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import io.personalize.validation.PartitionOffsets;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * Every state descriptor and output tag of the job, declared once. State names are part of the
 * savepoint format and of the queryable-state contract: never rename one that has shipped.
 */
public final class Descriptors {
  private Descriptors() {}

  /**
   * Queryable: the per-user operator's model state of one user, from which a lookup client derives
   * the user's profile and personal model ({@code UserViews}).
   */
  public static ValueStateDescriptor<UserState> userState() {
    ValueStateDescriptor<UserState> d =
        new ValueStateDescriptor<>("user-state", TypeInformation.of(UserState.class));
    d.setQueryable(QueryableStateNames.USER_STATE);
    return d;
  }

  /**
   * The user's profile as state written before 2026-12-05 holds it beside {@code user-state}
   * (stored savepoints v1 and v2): no longer written, no longer queryable, cleared when the user
   * idles out.
   */
  public static ValueStateDescriptor<UserProfile> retiredUserProfile() {
    return new ValueStateDescriptor<>("user-profile", TypeInformation.of(UserProfile.class));
  }

  /** The user's personal model as state written before 2026-12-05 holds it: like the profile. */
  public static ValueStateDescriptor<PersonalModelView> retiredPersonalModel() {
    return new ValueStateDescriptor<>(
        "personal-model", TypeInformation.of(PersonalModelView.class));
  }

  /** Operator state of the global operator: its whole model. */
  public static ListStateDescriptor<GlobalModelSnapshot> globalModel() {
    return new ListStateDescriptor<>("global-model", TypeInformation.of(GlobalModelSnapshot.class));
  }

  /** Operator union state of the per-user operator: its replica of the shared block. */
  public static ListStateDescriptor<ReplicaSnapshot> replica() {
    return new ListStateDescriptor<>("shared-replica", TypeInformation.of(ReplicaSnapshot.class));
  }

  /** Operator union state of the per-user operator: the adaptive candidate selector's loss sums. */
  public static ListStateDescriptor<SelectorSnapshot> selector() {
    return new ListStateDescriptor<>(
        "candidate-selector", TypeInformation.of(SelectorSnapshot.class));
  }

  /** Operator union state of the per-user operator: the group boundaries it scores with. */
  public static ListStateDescriptor<GroupBoundaries> groupBoundaries() {
    return new ListStateDescriptor<>("group-boundaries", TypeInformation.of(GroupBoundaries.class));
  }

  /** Operator state of the global ranking operator: its whole ranking ("will interact") model. */
  public static ListStateDescriptor<GlobalModelSnapshot> globalRankingModel() {
    return new ListStateDescriptor<>(
        "global-ranking-model", TypeInformation.of(GlobalModelSnapshot.class));
  }

  /**
   * With {@code model.neighbours}: the per-user operator's latest rated items of one user, with
   * their residuals (the neighbours of the user's next rating).
   */
  public static ValueStateDescriptor<UserResiduals> userNeighbours() {
    return new ValueStateDescriptor<>("user-neighbours", TypeInformation.of(UserResiduals.class));
  }

  /** With {@code model.neighbours}: one item's residual sums with its partner items, packed. */
  public static ValueStateDescriptor<PackedPartners> itemPartners() {
    return new ValueStateDescriptor<>("item-partners", TypeInformation.of(PackedPartners.class));
  }

  /**
   * With {@code model.neighbours}: partner updates an item holds back before it adds them to its
   * sums (appended without reading anything).
   */
  public static ListStateDescriptor<PartnerUpdates> itemHeldUpdates() {
    return new ListStateDescriptor<>("item-held-updates", TypeInformation.of(PartnerUpdates.class));
  }

  /**
   * With {@code model.neighbours}: how many partner updates an item holds back; absent while the
   * item has no state at all.
   */
  public static ValueStateDescriptor<Integer> itemHeldUpdateCount() {
    return new ValueStateDescriptor<>("item-held-update-count", Types.INT);
  }

  /** The user-sequence operator's item sequence of one user (the item graph's pairs). */
  public static ValueStateDescriptor<UserSequence> userSequence() {
    return new ValueStateDescriptor<>("user-sequence", TypeInformation.of(UserSequence.class));
  }

  /** The user-sequence operator's seen items of one user (never drawn as negatives). */
  public static ValueStateDescriptor<SeenItems> sequenceSeenItems() {
    return new ValueStateDescriptor<>("sequence-seen-items", TypeInformation.of(SeenItems.class));
  }

  /** Operator state of the user-sequence operator: its negative sampler's counts. */
  public static ListStateDescriptor<NegativeSamplerState> negativeSampler() {
    return new ListStateDescriptor<>(
        "negative-sampler", TypeInformation.of(NegativeSamplerState.class));
  }

  /** The graph operator's out-edges of one item. */
  public static ValueStateDescriptor<ItemEdges> itemEdges() {
    return new ValueStateDescriptor<>("item-edges", TypeInformation.of(ItemEdges.class));
  }

  /** Operator state of the graph-delta operator: the changes not closed into a delta yet. */
  public static ListStateDescriptor<GraphDelta> openGraphDelta() {
    return new ListStateDescriptor<>("open-graph-delta", TypeInformation.of(GraphDelta.class));
  }

  /** The recommendation operator's ranking model state of one user. */
  public static ValueStateDescriptor<UserState> rankingUserState() {
    return new ValueStateDescriptor<>("ranking-user-state", TypeInformation.of(UserState.class));
  }

  /**
   * The recommendation operator's seen items of one user, a state of its own until 2026-12-05:
   * since, they are part of the user's ranking state ({@code UserState.seen}), one read and one
   * write per event less; what was written before moves there at the user's next event.
   */
  public static ValueStateDescriptor<SeenItems> retiredSeenItems() {
    return new ValueStateDescriptor<>("seen-items", TypeInformation.of(SeenItems.class));
  }

  /** Queryable: the user's current list of recommendations. */
  public static ValueStateDescriptor<RecommendationView> recommendations() {
    ValueStateDescriptor<RecommendationView> d =
        new ValueStateDescriptor<>(
            QueryableStateNames.RECOMMENDATIONS, TypeInformation.of(RecommendationView.class));
    d.setQueryable(QueryableStateNames.RECOMMENDATIONS);
    return d;
  }

  /**
   * The recommendation operator's processing time of the user's last list sent to the
   * recommendations topic, written until 2026-12-05: the user's list ({@link #recommendations()})
   * holds the same time ({@code generatedAtMillis}: every list made is published at once), so it is
   * no longer written, only cleared with the user's other state.
   */
  public static ValueStateDescriptor<Long> retiredLastPublished() {
    return new ValueStateDescriptor<>("last-published", Types.LONG);
  }

  /** Operator union state of the recommendation operator: its replica of the ranking model. */
  public static ListStateDescriptor<ReplicaSnapshot> rankingReplica() {
    return new ListStateDescriptor<>("ranking-replica", TypeInformation.of(ReplicaSnapshot.class));
  }

  /** Operator union state of the recommendation operator: its replica of the item graph. */
  public static ListStateDescriptor<GraphReplicaSnapshot> graphReplica() {
    return new ListStateDescriptor<>(
        "graph-replica", TypeInformation.of(GraphReplicaSnapshot.class));
  }

  /** Operator union state of the recommendation operator: recent popularity. */
  public static ListStateDescriptor<PopularitySnapshot> popularity() {
    return new ListStateDescriptor<>("popularity", TypeInformation.of(PopularitySnapshot.class));
  }

  /** Operator union state of the recommendation operator: the ranking selector's loss sums. */
  public static ListStateDescriptor<SelectorSnapshot> rankingSelector() {
    return new ListStateDescriptor<>(
        "ranking-selector", TypeInformation.of(SelectorSnapshot.class));
  }

  /** Operator union state of the recommendation operator: the group boundaries. */
  public static ListStateDescriptor<GroupBoundaries> rankingGroupBoundaries() {
    return new ListStateDescriptor<>(
        "ranking-group-boundaries", TypeInformation.of(GroupBoundaries.class));
  }

  /** Operator state of the coordinator: events per user. */
  public static ListStateDescriptor<CountsSnapshot> userCounts() {
    return new ListStateDescriptor<>("user-counts", TypeInformation.of(CountsSnapshot.class));
  }

  /** Operator state of the metrics operator. */
  public static ListStateDescriptor<ScoreboardSnapshot> metricsState() {
    return new ListStateDescriptor<>(
        "prequential-metrics", TypeInformation.of(ScoreboardSnapshot.class));
  }

  /**
   * Operator union state of the validation operators: the last offset read per partition, so that
   * offsets skipped across a restore are noticed too.
   */
  public static ListStateDescriptor<PartitionOffsets> lastOffsets() {
    return new ListStateDescriptor<>("last-offsets", TypeInformation.of(PartitionOffsets.class));
  }

  /**
   * The broadcast channel's descriptor. The per-user operator keeps its replica in operator union
   * state instead of broadcast state, because it advances the replica while scoring events (where
   * broadcast state is read-only); this map stays empty.
   */
  public static final MapStateDescriptor<String, String> CONTROL_CHANNEL =
      new MapStateDescriptor<>("control-channel", Types.STRING, Types.STRING);

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class)) {};

  public static final OutputTag<ModelDelta> CHECKPOINTS =
      new OutputTag<>("gradient-checkpoints", TypeInformation.of(ModelDelta.class)) {};

  public static final OutputTag<ItemPair> ITEM_PAIRS =
      new OutputTag<>("item-pairs", TypeInformation.of(ItemPair.class)) {};

  /** With {@code model.neighbours}: each rating with the user's history, to its item. */
  public static final OutputTag<NeighbourRequest> NEIGHBOUR_REQUESTS =
      new OutputTag<>("neighbour-requests", TypeInformation.of(NeighbourRequest.class)) {};

  /** With {@code model.neighbours}: each rating as a common rater, to the user's earlier items. */
  public static final OutputTag<PartnerUpdates> PARTNER_UPDATES =
      new OutputTag<>("partner-updates", TypeInformation.of(PartnerUpdates.class)) {};

  public static final OutputTag<RecommendationView> RECOMMENDATIONS =
      new OutputTag<>("recommendations", TypeInformation.of(RecommendationView.class)) {};
}
