package io.personalize.job;

import io.personalize.job.config.PersonalizeOptions;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The demo's settings for the tests that run it, on ports of their own. */
final class DemoSettings {
  private DemoSettings() {}

  /**
   * The replay rate of the tests that compare the job's quality with the evaluator's, in events per
   * second. The job's replicas lag their masters by a fixed wall-clock delay (network buffers, the
   * update cadences), so a backlog replayed as fast as the machine goes makes that lag, counted in
   * events, grow with the machine's speed: CI's faster machine failed ListsParityITCase at 0.0100
   * below the evaluator where this one measured 0.0009. Paced, the lag in events is at most this
   * rate times the delay on any machine, and a slower one only falls back into the backlog regime,
   * where it is fresher still. ml-100k at this rate, alone on a 2-core machine: adaptive minus
   * global -0.0053 at parallelism 2 (-0.0025 unpaced); job minus evaluator, adaptive +0.0005 on
   * ml-100k and +0.0028 on generated data (+0.0013 and +0.0053 unpaced).
   */
  static final double PARITY_REPLAY_RATE = 4_000;

  /** Prints the demo's throughput line, which the tests' {@code console} otherwise swallows. */
  static void printThroughput(java.io.ByteArrayOutputStream console) {
    console.toString().lines().filter(l -> l.startsWith("throughput")).forEach(System.out::println);
  }

  /**
   * The demo's defaults at {@code parallelism}, metrics every second, free REST and proxy ports.
   */
  static Configuration onFreePorts(int parallelism) {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, parallelism);
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    settings.setString("rest.port", String.valueOf(KafkaJob.freePort()));
    settings.setString("queryable-state.proxy.ports", String.valueOf(KafkaJob.freePort()));
    return settings;
  }
}
