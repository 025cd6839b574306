package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.demo.Demo;
import io.personalize.eval.Metrics;
import io.personalize.eval.Summary;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming issue's targets at parallelism 2, where replicas are staler: ml-100k replayed
 * through an in-process Kafka broker into a MiniCluster at parallelism 2 with RocksDB, metrics read
 * back from the metrics topic, the busiest user's profile looked up with the queryable-state
 * client. Paced at {@link DemoSettings#PARITY_REPLAY_RATE}: replayed as a backlog, adaptive's lead
 * over global shrank with the machine's speed (0.0009 to 0.0040, one failure by 0.00003).
 */
class StreamingJobITCase {
  @Test
  void replaysMovieLensThroughKafkaAtParallelismTwo(@TempDir Path dir) throws Exception {
    Path data = SharedDataSets.require("ml-100k");
    Dataset dataset = MovieLensReader.read(data);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Configuration settings = DemoSettings.onFreePorts(2);
    // The rating half alone (EvaluatorParityITCase and ListsParityITCase run the rest).
    settings.set(RecommendationOptions.ENABLED, false);
    Demo.Result result =
        new Demo(settings, new PrintStream(console, true), 170_000, false)
            .replayRate(DemoSettings.PARITY_REPLAY_RATE)
            .run(dataset, dir);
    DemoSettings.printThroughput(console);

    Summary summary = result.summary();
    Metrics adaptive = summary.modes().get("adaptive").overall();
    Metrics global = summary.modes().get("global").overall();
    // Every event scored exactly once by each mode, all users in the seven groups.
    assertThat(adaptive.events()).isEqualTo(100_000);
    assertThat(global.events()).isEqualTo(100_000);
    assertThat(summary.modes().get("adaptive").groups().stream().mapToLong(Metrics::users).sum())
        .isEqualTo(943);
    // The targets of the streaming issue, and no better than the leak-free evaluator can be.
    assertThat(adaptive.rmse()).isLessThanOrEqualTo(0.940).isGreaterThan(0.925);
    System.out.printf(
        Locale.ROOT, "ml-100k p2: adaptive %.5f global %.5f%n", adaptive.rmse(), global.rmse());
    assertThat(adaptive.rmse()).isLessThan(global.rmse());
    assertThat(summary.modes()).containsKeys("global", "local", "mtl", "adaptive");

    assertThat(result.profile()).isPresent();
    assertThat(result.profile().get().events).isEqualTo(737);
  }
}
