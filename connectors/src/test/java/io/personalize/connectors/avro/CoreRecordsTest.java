package io.personalize.connectors.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.EventType;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.model.EventKind;
import io.personalize.state.RecommendationView;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CoreRecordsTest {
  /** The schema appends new symbols; core's kinds must follow, in the same order. */
  @Test
  void theEventKindsAreTheAvroEventTypesInTheirOrder() {
    assertThat(Arrays.stream(EventKind.values()).map(Enum::name))
        .containsExactly(Arrays.stream(EventType.values()).map(Enum::name).toArray(String[]::new));
    for (EventKind kind : EventKind.values()) {
      assertThat(CoreRecords.eventType(kind).name()).isEqualTo(kind.name());
    }
  }

  @Test
  void aListKeepsWhatItFollowedAndWhetherItIsTheFallback() {
    RecommendationView view = new RecommendationView();
    view.userId = "u1";
    view.itemIds = new String[] {"a", "b"};
    view.scores = new double[] {2.0, 1.0};
    view.sources = new String[] {"walks", "popularity"};
    view.recommender = "walks+rank+mmr";
    view.generatedAtMillis = 5_000;
    view.eventTimeMillis = 4_000;
    view.userEvents = 7;
    view.modelVersion = 3;
    view.graphVersion = 2;
    RecommendationList list = CoreRecords.toAvro(view);
    assertThat(list.getUserId()).isEqualTo("u1");
    assertThat(list.getItems())
        .containsExactly(new ScoredItem("a", 2.0, "walks"), new ScoredItem("b", 1.0, "popularity"));
    assertThat(list.getEventTimeMillis()).isEqualTo(4_000);
    assertThat(list.getUserEvents()).isEqualTo(7);
    assertThat(list.getModelVersion()).isEqualTo(3);
    assertThat(list.getGraphVersion()).isEqualTo(2);
    assertThat(list.getFallback()).isFalse();

    view.fallback = true;
    assertThat(CoreRecords.toAvro(view).getFallback()).isTrue();
  }

  @Test
  void aCheckpointCarriesWhatTheGlobalModelLearnedThroughAvro() {
    io.personalize.online.ModelDelta delta = new io.personalize.online.ModelDelta();
    delta.modelKind = "HYBRID";
    delta.version = 3;
    delta.previousVersion = 2;
    delta.factors = 2;
    delta.settings = io.personalize.model.LearnedSettings.initial(2, 20, true);
    delta.settings.biasMultiplier = 2;
    delta.settings.factorMultiplier = 0.5;
    delta.settings.earlyMultiplier = 4;
    delta.settings.initialBias = 0.25;
    delta.settings.initialFactors = new double[] {0.125, -0.5};
    delta.settings.races = 3;
    io.personalize.online.ModelDelta back = CoreRecords.fromAvro(CoreRecords.toAvro(delta));
    assertThat(back.settings.biasMultiplier).isEqualTo(2);
    assertThat(back.settings.factorMultiplier).isEqualTo(0.5);
    assertThat(back.settings.earlyMultiplier).isEqualTo(4);
    assertThat(back.settings.firstEvents).isEqualTo(20);
    assertThat(back.settings.initialBias).isEqualTo(0.25);
    assertThat(back.settings.initialFactors).containsExactly(0.125, -0.5);
    assertThat(back.settings.races).isEqualTo(3);
    assertThat(back.settings.racing).isTrue();

    delta.settings = null;
    assertThat(CoreRecords.toAvro(delta).getLearnedSettings()).isNull();
    assertThat(CoreRecords.fromAvro(CoreRecords.toAvro(delta)).settings).isNull();
  }
}
