package io.personalize.testing;

import io.personalize.connectors.data.SharedData;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real data sets of {@code ../shared/data} for tests. A test that needs one and does not find
 * it is skipped, and says so on the build output (JUnit's skip reason alone is not printed by the
 * build), so a run without the data is visibly a smaller run. Every such test has a twin on
 * generated data that always runs.
 */
public final class SharedDataSets {
  private SharedDataSets() {}

  /** The data set's directory, or the calling test is skipped with a printed message. */
  public static Path require(String name) {
    Optional<Path> found = SharedData.find(name);
    if (found.isEmpty()) {
      String message =
          "SKIPPED: "
              + name
              + " is not in ../shared/data (the real data sets live beside the repository);"
              + " the tests on generated data still run";
      System.out.println(message);
      System.err.println(message);
      Assumptions.abort(message);
    }
    return found.get();
  }
}
