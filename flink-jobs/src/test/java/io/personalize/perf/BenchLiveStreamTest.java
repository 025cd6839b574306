package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ZipfStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency run's events carry the time each is due, as a live feed's do. */
class BenchLiveStreamTest {
  @Test
  void eachEventIsStampedWithTheTimeItIsDueAtTheRate() {
    Dataset stream = ZipfStream.generate(7, 1_000, 100, 50, 1.0);
    Dataset live = Bench.live(stream, 400, 1_000_000);

    List<Interaction> generated = stream.interactions();
    List<Interaction> stamped = live.interactions();
    assertThat(stamped).hasSameSizeAs(generated);
    for (int i = 0; i < stamped.size(); i++) {
      // 400 a second: one every 2.5 ms, rounded.
      assertThat(stamped.get(i).timeMillis()).isEqualTo(1_000_000 + Math.round(i * 2.5));
      assertThat(stamped.get(i).userId()).isEqualTo(generated.get(i).userId());
      assertThat(stamped.get(i).itemId()).isEqualTo(generated.get(i).itemId());
      assertThat(stamped.get(i).value()).isEqualTo(generated.get(i).value());
    }
    assertThat(live.scale()).isEqualTo(stream.scale());
  }
}
