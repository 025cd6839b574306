package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A savepoint restores into the job with its optional halves switched on or off ({@code
 * recommend.enabled}, {@code model.neighbours}, docs/operations.md): Flink finds each operator's
 * state by the operator's id and refuses it when the operator now runs in a task with another
 * maximum parallelism that was set explicitly. A parallelism-1 operator chained behind a single-key
 * operator in one topology and not in the other changes its task's.
 */
class SavepointCompatibilityTest {
  @Test
  void everyOperatorRunsAtTheSameMaxParallelismWithTheOptionalHalvesOnOrOff() {
    Map<OperatorID, Task> defaults = tasks(true, false);
    for (boolean recommend : new boolean[] {true, false}) {
      for (boolean neighbours : new boolean[] {true, false}) {
        Map<OperatorID, Task> other = tasks(recommend, neighbours);
        for (Map.Entry<OperatorID, Task> operator : other.entrySet()) {
          Task before = defaults.get(operator.getKey());
          if (before != null) {
            assertThat(operator.getValue().maxParallelism())
                .as(
                    "recommend.enabled=%s, model.neighbours=%s: operator %s in '%s', by default in"
                        + " '%s'",
                    recommend,
                    neighbours,
                    operator.getKey(),
                    operator.getValue().name(),
                    before.name())
                .isEqualTo(before.maxParallelism());
          }
        }
      }
    }
  }

  /** The task (its name and maximum parallelism, -1 when Flink derives it) of every operator. */
  private static Map<OperatorID, Task> tasks(boolean recommend, boolean neighbours) {
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.PARALLELISM, 2);
    conf.set(RecommendationOptions.ENABLED, recommend);
    conf.set(PersonalizeOptions.MODEL_NEIGHBOURS, neighbours);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobRunner.define(env, JobConfig.from(conf), List.of());
    JobGraph graph = env.getStreamGraph().getJobGraph();
    Map<OperatorID, Task> tasks = new HashMap<>();
    for (JobVertex vertex : graph.getVertices()) {
      for (OperatorIDPair operator : vertex.getOperatorIDs()) {
        tasks.put(
            operator.getGeneratedOperatorID(),
            new Task(vertex.getName(), vertex.getMaxParallelism()));
      }
    }
    return tasks;
  }

  private record Task(String name, int maxParallelism) {}
}
