package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.data.SharedData;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Progress;
import io.personalize.eval.Protocol;
import io.personalize.eval.Summary;
import io.personalize.eval.Target;
import io.personalize.job.config.JobConfig;
import io.personalize.model.Mode;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Flink job and the evaluator run the same per-event code, so on the same events at parallelism
 * 1 their prequential RMSE must agree: the only differences are the job's checkpoint staleness (a
 * replica lags by up to one checkpoint) and popularity counts taken from the replica.
 */
class EvaluatorParityITCase {
  @Test
  void jobMatchesTheEvaluatorAtParallelismOne() throws Exception {
    Path data = SharedData.find("ml-100k").orElse(null);
    Assumptions.assumeTrue(data != null, "ml-100k not found under shared/data");
    Dataset dataset = MovieLensReader.read(data);
    JobConfig config =
        JobConfig.defaults().with(io.personalize.job.config.PersonalizeOptions.PARALLELISM, 1);

    Summary evaluator =
        Evaluator.evaluate(
            EventLog.of(dataset),
            new EvaluationConfig(
                Protocol.PREQUENTIAL,
                Target.RATING,
                4,
                0.2,
                0.1,
                config.model(),
                EnumSet.of(Mode.GLOBAL, Mode.ADAPTIVE)),
            Progress.silent());

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.setString("pipeline.auto-watermark-interval", "50 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    DataStream<RawRecord> interactions =
        env.fromData(MovieLensRecords.interactions(dataset), TypeInformation.of(RawRecord.class));
    DataStream<RawRecord> items =
        env.fromData(MovieLensRecords.items(dataset), TypeInformation.of(RawRecord.class));
    PersonalizationTopology.Outputs outputs =
        PersonalizationTopology.build(config, interactions, items);
    outputs.modelUpdates().sinkTo(new DiscardingSink<>());
    outputs.deadLetters().sinkTo(new DiscardingSink<>());
    Map<String, MetricSnapshot> last = new HashMap<>();
    try (CloseableIterator<MetricSnapshot> it = outputs.metrics().executeAndCollect("parity")) {
      it.forEachRemaining(
          m -> {
            if (m.getCumulative() && m.getGroup() == 0) {
              last.put(m.getMode(), m);
            }
          });
    }

    for (String mode : new String[] {"global", "adaptive"}) {
      double job = last.get(mode).getRmse();
      double eval = evaluator.modes().get(mode).overall().rmse();
      assertThat(last.get(mode).getEvents()).isEqualTo(100_000);
      assertThat(job)
          .as("%s RMSE: job %.4f, evaluator %.4f", mode, job, eval)
          .isCloseTo(eval, org.assertj.core.data.Offset.offset(0.005));
    }
    assertThat(last.get("adaptive").getRmse()).isLessThan(last.get("global").getRmse());
  }
}
