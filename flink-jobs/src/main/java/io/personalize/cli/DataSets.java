package io.personalize.cli;

import io.personalize.connectors.data.DataSetReader;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SharedData;
import io.personalize.connectors.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What every command's {@code --data} means: a path, a data set name under shared/data, or
 * generated.
 */
final class DataSets {
  private DataSets() {}

  /**
   * {@code --data} and the size of {@code --data generated}: options of the commands that read
   * data.
   */
  static final class Options {
    @Option(
        names = "--data",
        required = true,
        description =
            "A data set directory or file: MovieLens ratings (u.data, ratings.dat[.gz],"
                + " ratings.csv), yoochoose clicks (*_train_full.txt with *_test.txt) or DIGINETICA"
                + " item views (*train-item-views.csv) or CiaoDVD ratings (movie-ratings.txt); a"
                + " data set name under ../shared/data (e.g. ml-100k, yoochoose-100k-sample,"
                + " diginetica-sample, ciaodvd); or 'generated' for built-in synthetic data.")
    String data;

    @Option(
        names = "--generated-users",
        defaultValue = "1000",
        description = "Users of --data generated (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
        names = "--generated-items",
        defaultValue = "1500",
        description = "Items of --data generated (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
        names = "--generated-events",
        defaultValue = "100000",
        description = "Events of --data generated (default: ${DEFAULT-VALUE}).")
    int events;

    Dataset load(long seed) {
      return DataSets.load(data, seed, users, items, events);
    }
  }

  static Dataset load(String data, long seed, int users, int items, int events) {
    if (data.equals("generated")) {
      return SyntheticData.generate(seed, users, items, events);
    }
    Path path = Path.of(data);
    if (!Files.exists(path)) {
      // Only a bare name such as "ml-100k" can mean a data set under shared/data.
      boolean bareName = !path.isAbsolute() && path.getNameCount() == 1 && !data.contains("..");
      if (!bareName) {
        throw new IllegalArgumentException("no file or directory '" + data + "'");
      }
      path =
          SharedData.find(data)
              .orElseThrow(
                  () -> new IllegalArgumentException(noSuchDataSet(data, SharedData.names())));
    }
    return DataSetReader.read(path);
  }

  /** The message for a name that is neither a path nor a data set under shared/data. */
  static String noSuchDataSet(String data, java.util.List<String> there) {
    return "no file or directory '"
        + data
        + "', and no data set of that name under shared/data"
        + (there.isEmpty()
            ? " (no shared/data folder beside the repository: give a path, or --data generated)"
            : " (there: " + String.join(", ", there) + "; or --data generated)");
  }
}
