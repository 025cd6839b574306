package io.personalize.cli;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.data.SharedData;
import io.personalize.connectors.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every command's {@code --data} means: a path, a data set name under shared/data, or
 * generated.
 */
final class DataSets {
  private DataSets() {}

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
                  () ->
                      new IllegalArgumentException(
                          "no file or directory '"
                              + data
                              + "', and no data set of that name under shared/data"));
    }
    return MovieLensReader.read(path);
  }
}
