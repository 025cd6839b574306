package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.demo.Demo;
import io.personalize.model.EventKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a click stream (yoochoose, DIGINETICA: `demo --data yoochoose-100k-sample`): there is
 * no rating to score, so it follows the lists' checks and ends when every event was checked,
 * instead of waiting for ratings that never come and failing after its timeout.
 */
class ClickStreamDemoITCase {
  @Test
  void aClickStreamDemoEndsWhenEveryEventWasCheckedAgainstTheLists(@TempDir Path dir)
      throws Exception {
    Dataset ratings = SyntheticData.generate(7, 40, 30, 400);
    List<Interaction> clicks =
        ratings.interactions().stream()
            .map(
                r -> Interaction.inSession(r.userId(), r.itemId(), EventKind.CLICK, r.timeMillis()))
            .toList();
    Dataset dataset = new Dataset("clicks", "test", clicks, ratings.items(), Dataset.IMPLICIT);
    long sessions = clicks.stream().map(Interaction::userId).distinct().count();
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    Demo.Result result =
        new Demo(DemoSettings.onFreePorts(1), new PrintStream(console, true), 60_000, false)
            .run(dataset, dir);

    String printed = console.toString();
    assertThat(printed)
        .as(printed)
        .containsPattern(
            "lists \\(walks\\+rank\\+mmr\\): HR@10 \\d\\.\\d{4}, MRR@10 \\d\\.\\d{4} over "
                + (clicks.size() - sessions)
                + " events checked")
        .contains("no profile or personal model: those learn from ratings, and there are none")
        .doesNotContain("prequential RMSE by group");
    assertThat(result.profile()).as("no rating, so no profile").isEmpty();
    assertThat(result.recommendations()).as("the busiest session's list").isPresent();
  }
}
