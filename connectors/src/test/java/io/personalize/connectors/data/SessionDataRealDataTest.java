package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.model.EventKind;
import io.personalize.testing.SharedDataSets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Checks the click and view readers against the real samples in {@code shared/data} beside the
 * repository and the counts verified in its README. Skipped when the data is not there.
 */
class SessionDataRealDataTest {

  @Test
  void yoochooseSampleTrainingAndTestFiles() {
    Path dir = SharedDataSets.require("yoochoose-100k-sample");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.name()).isEqualTo("yoochoose-100k-sample");
    assertThat(data.layout()).isEqualTo("yoochoose");
    assertThat(data.scale()).isEqualTo(Dataset.IMPLICIT);
    assertThat(data.items()).isEmpty();
    assertThat(data.interactions()).hasSize(83_846);
    assertThat(distinct(data.interactions(), Interaction::sessionId)).hasSize(21_210);
    assertThat(distinct(data.interactions(), Interaction::itemId)).hasSize(2_933);
    assertThat(data.interactions())
        .allSatisfy(
            click -> {
              assertThat(click.kind()).isEqualTo(EventKind.CLICK);
              assertThat(click.value()).isEqualTo(1.0);
              assertThat(click.userId()).isEqualTo(click.sessionId());
            });

    List<Interaction> training = data.trainingPart();
    assertThat(data.testStart()).isEqualTo(70_278);
    assertThat(distinct(training, Interaction::sessionId)).hasSize(17_794);
    assertThat(distinct(training, Interaction::itemId)).hasSize(2_933);
    assertThat(training.get(0))
        .isEqualTo(
            new Interaction("3", "214716935", 1.0, 1_396_437_466_940L, EventKind.CLICK, "3"));
    assertThat(Instant.ofEpochMilli(minTime(training))).hasToString("2014-04-01T01:02:21.719Z");
    assertThat(Instant.ofEpochMilli(maxTime(training))).hasToString("2014-04-07T00:43:12.560Z");

    List<Interaction> test = data.testPart();
    assertThat(test).hasSize(13_568);
    assertThat(distinct(test, Interaction::sessionId)).hasSize(3_416);
    assertThat(distinct(test, Interaction::itemId)).hasSize(1_771);
    assertThat(Instant.ofEpochMilli(minTime(test))).hasToString("2014-04-07T00:49:53.197Z");
    assertThat(Instant.ofEpochMilli(maxTime(test))).hasToString("2014-04-08T00:50:01.534Z");

    // The README: no session in both parts, and every test item also in the training part. So
    // the training part precedes the test part in time, too.
    assertThat(distinct(test, Interaction::sessionId))
        .doesNotContainAnyElementsOf(distinct(training, Interaction::sessionId));
    assertThat(distinct(training, Interaction::itemId))
        .containsAll(distinct(test, Interaction::itemId));
  }

  @Test
  void yoochooseTrainingFileAlone() {
    Path dir = SharedDataSets.require("yoochoose-100k-sample");

    Dataset training = DataSetReader.read(dir.resolve("yoochoose-clicks-100k_train_full.txt"));

    assertThat(training.interactions()).hasSize(70_278);
    assertThat(training.testPart()).isEmpty();
  }

  @Test
  void digineticaSample() {
    Path dir = SharedDataSets.require("diginetica-sample");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.name()).isEqualTo("diginetica-sample");
    assertThat(data.layout()).isEqualTo("diginetica");
    assertThat(data.scale()).isEqualTo(Dataset.IMPLICIT);
    assertThat(data.items()).isEmpty();
    assertThat(data.testPart()).isEmpty();
    assertThat(data.interactions()).hasSize(12_391);
    assertThat(distinct(data.interactions(), Interaction::sessionId)).hasSize(2_986);
    assertThat(distinct(data.interactions(), Interaction::itemId)).hasSize(7_139);
    assertThat(data.interactions())
        .allSatisfy(
            view -> {
              assertThat(view.kind()).isEqualTo(EventKind.VIEW);
              assertThat(view.value()).isEqualTo(1.0);
              assertThat(view.userId()).isEqualTo(view.sessionId());
            });
    // The first line: 1;NA;81766;526309;2016-05-09.
    assertThat(data.interactions().get(0))
        .isEqualTo(Interaction.inSession("1", "81766", EventKind.VIEW, 1_462_752_526_309L));
    // Dates 2016-01-03 to 2016-06-01, timeframes of at most 20 minutes.
    assertThat(Instant.ofEpochMilli(minTime(data.interactions())))
        .hasToString("2016-01-03T00:00:07.112Z");
    assertThat(Instant.ofEpochMilli(maxTime(data.interactions())))
        .hasToString("2016-06-01T00:18:44.305Z");
  }

  @Test
  void digineticaSampleSplitIntoItsLastWeekForTheSessionProtocol() {
    Path dir = SharedDataSets.require("diginetica-sample");

    Dataset split =
        SessionSplits.lastDays(DataSetReader.read(dir), SessionSplits.DIGINETICA_TEST_DAYS);

    // Counted independently from the file (a Python script: eventdate + timeframe, sessions
    // ending later than 7 days before the latest event, test events on training items only,
    // test sessions of 2 events or more).
    List<Interaction> training = split.trainingPart();
    assertThat(training).hasSize(11_150);
    assertThat(distinct(training, Interaction::sessionId)).hasSize(2_714);
    assertThat(distinct(training, Interaction::itemId)).hasSize(6_560);
    List<Interaction> test = split.testPart();
    assertThat(test).hasSize(429);
    assertThat(distinct(test, Interaction::sessionId)).hasSize(117);
    assertThat(distinct(test, Interaction::itemId)).hasSize(289);
  }

  private static Set<String> distinct(
      Collection<Interaction> events, Function<Interaction, String> id) {
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(id.apply(e)));
    return ids;
  }

  private static long minTime(List<Interaction> events) {
    return events.stream().mapToLong(Interaction::timeMillis).min().orElseThrow();
  }

  private static long maxTime(List<Interaction> events) {
    return events.stream().mapToLong(Interaction::timeMillis).max().orElseThrow();
  }
}
