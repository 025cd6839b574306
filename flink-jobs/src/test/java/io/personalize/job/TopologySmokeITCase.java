package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.data.SharedData;
import io.personalize.connectors.kafka.RawRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TopologySmokeITCase {
  @Test
  void replaysMovieLens() throws Exception {
    Path data = SharedData.find("ml-100k").orElse(null);
    Assumptions.assumeTrue(data != null, "ml-100k not found under shared/data");
    Dataset dataset = MovieLensReader.read(data);
    JobConfig config = JobConfig.defaults().withParallelism(1);
    Configuration conf = new Configuration();
    conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(config.parallelism());
    DataStream<RawRecord> interactions =
        env.fromData(MovieLensRecords.interactions(dataset), TypeInformation.of(RawRecord.class));
    DataStream<RawRecord> items =
        env.fromData(MovieLensRecords.items(dataset), TypeInformation.of(RawRecord.class));
    PersonalizationTopology.Outputs outputs = PersonalizationTopology.build(config, interactions, items);
    outputs.modelUpdates().sinkTo(new DiscardingSink<>());
    outputs.deadLetters().sinkTo(new DiscardingSink<>());
    long start = System.nanoTime();
    List<MetricSnapshot> metrics = new ArrayList<>();
    try (CloseableIterator<MetricSnapshot> it = outputs.metrics().executeAndCollect("smoke")) {
      it.forEachRemaining(metrics::add);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%.1f s, %.0f events/s%n", seconds, 100_000 / seconds);
    List<MetricSnapshot> last = new ArrayList<>();
    for (MetricSnapshot m : metrics) {
      if (m.getCumulative() && m.getGroup() == 0) {
        last.removeIf(x -> x.getMode().equals(m.getMode()));
        last.add(m);
      }
    }
    last.forEach(m -> System.out.println(m.getMode() + " " + m.getRmse() + " " + m.getEvents()));
    assertThat(last).isNotEmpty();
  }
}
