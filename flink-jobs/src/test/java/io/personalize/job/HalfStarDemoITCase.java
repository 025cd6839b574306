package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.demo.Demo;
import io.personalize.model.RatingScale;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: {@code demo --data ml-latest-small} (half stars, 0.5 to 5) timed out after 170 s with
 * 99,466 of 100,836 ratings scored. The job kept its default scale, 1 to 5, and sent the 1,370
 * ratings of 0.5 to the dead letters, while the demo waited for them to be scored. The demo now
 * takes the data set's scale unless the rating.* settings are given.
 */
class HalfStarDemoITCase {
  @Test
  void aDemoOnHalfStarRatingsScoresEveryRating(@TempDir Path dir) throws Exception {
    Dataset whole = SyntheticData.generate(7, 40, 30, 400);
    List<Interaction> halfStars = new ArrayList<>();
    for (int n = 0; n < whole.interactions().size(); n++) {
      Interaction i = whole.interactions().get(n);
      halfStars.add(n % 10 == 0 ? new Interaction(i.userId(), i.itemId(), 0.5, i.timeMillis()) : i);
    }
    Dataset dataset =
        new Dataset("half-stars", "test", halfStars, whole.items(), new RatingScale(0.5, 5.0));
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    new Demo(DemoSettings.onFreePorts(1), new PrintStream(console, true), 60_000, false)
        .run(dataset, dir);

    assertThat(console.toString())
        .as(console.toString())
        .contains("scored 400 / 400 events (100%)")
        .contains("wrote " + dir.resolve("summary.json"));
  }
}
