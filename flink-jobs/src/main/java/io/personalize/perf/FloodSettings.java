package io.personalize.perf;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code personalize flood} runs.
 *
 * @param users distinct users, one event each
 * @param items distinct item ids the events draw from (Zipf)
 * @param exponent the Zipf exponent of the items
 * @param seed the generator's seed
 * @param spacing event time between consecutive events: the flood spans {@code users * spacing}
 * @param parallelism the job's parallelism
 * @param samples measurements taken, evenly spaced in events applied (the last at the end)
 * @param timeout how long the flood may take
 * @param out where the report goes
 */
public record FloodSettings(
    int users,
    int items,
    double exponent,
    long seed,
    Duration spacing,
    int parallelism,
    int samples,
    Duration timeout,
    Path out) {
  public FloodSettings {
    if (users < 1 || items < 1) {
      throw new IllegalArgumentException("--users and --items must be at least 1");
    }
    if (spacing.toMillis() < 1) {
      throw new IllegalArgumentException("--spacing must be at least 1 ms, got " + spacing);
    }
    if (parallelism < 1 || samples < 1) {
      throw new IllegalArgumentException("--parallelism and --samples must be at least 1");
    }
  }

  /** Event time from the first event to the last. */
  public Duration span() {
    return spacing.multipliedBy(users - 1L);
  }
}
