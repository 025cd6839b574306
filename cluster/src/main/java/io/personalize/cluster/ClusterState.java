package io.personalize.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bin/cluster start} wrote to {@code HOME/cluster.json}: the addresses and the process
 * ids, so {@code submit}, {@code status} and {@code stop} (and scripts) find the cluster again.
 */
public record ClusterState(String kafka, String flinkRest, List<ClusterProcess> processes) {
  static final String FILE = "cluster.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Optional<ClusterState> read(Path home) {
    Path file = home.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable " + file, e);
    }
  }

  void write(Path home) {
    try {
      Path temporary = home.resolve(FILE + ".tmp");
      JSON.writeValue(temporary.toFile(), this);
      Files.move(temporary, home.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<ClusterProcess> processes(String role) {
    return processes.stream().filter(p -> p.role().equals(role)).toList();
  }

  public boolean anyAlive() {
    return processes.stream().anyMatch(ClusterProcess::isAlive);
  }

  ClusterState replace(ClusterProcess old, ClusterProcess updated) {
    return new ClusterState(
        kafka, flinkRest, processes.stream().map(p -> p.equals(old) ? updated : p).toList());
  }
}
