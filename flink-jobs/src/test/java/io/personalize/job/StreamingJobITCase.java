package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.demo.Demo;
import io.personalize.eval.Metrics;
import io.personalize.eval.Summary;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on real parts: an in-process Kafka broker, ml-100k replayed through it, a Flink
 * MiniCluster at parallelism 2 with RocksDB, metrics read back from the metrics topic, and a
 * personal model looked up with the queryable-state client.
 */
class StreamingJobITCase {
  /** The demo's settings at a parallelism, on ports of their own. */
  static org.apache.flink.configuration.Configuration settings(int parallelism) {
    var conf = new org.apache.flink.configuration.Configuration();
    conf.set(io.personalize.job.config.PersonalizeOptions.PARALLELISM, parallelism);
    conf.set(
        io.personalize.job.config.PersonalizeOptions.METRICS_INTERVAL,
        java.time.Duration.ofSeconds(1));
    conf.setString("rest.port", String.valueOf(KafkaJob.freePort()));
    conf.setString("queryable-state.proxy.ports", String.valueOf(KafkaJob.freePort()));
    return conf;
  }

  @Test
  void replaysMovieLensThroughKafkaAtParallelismTwo(@TempDir Path dir) throws Exception {
    Path data = SharedDataSets.require("ml-100k");
    Dataset dataset = MovieLensReader.read(data);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Demo.Result result =
        new Demo(settings(2), new PrintStream(console, true), 170_000, false).run(dataset, dir);

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
    assertThat(adaptive.rmse()).isLessThan(global.rmse());
    assertThat(summary.modes()).containsKeys("global", "local", "mtl", "adaptive");

    assertThat(result.profile()).isPresent();
    assertThat(result.profile().get().events).isEqualTo(737);
    assertThat(result.profile().get().checkpointVersion).isPositive();
    assertThat(result.model()).isPresent();
    assertThat(result.model().get().factors).hasSize(32);
    assertThat(Files.size(dir.resolve("summary.json"))).isPositive();
    assertThat(console.toString()).contains("queryable state of the most active user");
    // Recommendations are on by default: the busiest user has a full list, none of it rated.
    assertThat(result.recommendations()).isPresent();
    assertThat(result.recommendations().get().itemIds)
        .hasSize(10)
        .doesNotHaveDuplicates()
        .doesNotContainAnyElementsOf(
            dataset.interactions().stream()
                .filter(i -> i.userId().equals(result.user()))
                .map(Interaction::itemId)
                .toList());
    assertThat(console.toString()).contains("recommendations (walks+rank+mmr");
  }
}
