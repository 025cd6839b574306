package io.personalize.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bin/cluster start} wrote to {@code HOME/cluster.json}: the addresses and the process
 * ids, so {@code submit}, {@code status} and {@code stop} (and scripts) find the cluster again.
 * Beside it, {@code HOME/endpoints.json} in the form the demo writes its own, for {@code
 * personalize query} and {@code serve} ({@code --endpoints}).
 */
public record ClusterState(String kafka, String flinkRest, List<ClusterProcess> processes) {
  static final String FILE = "cluster.json";
  static final String ENDPOINTS = "endpoints.json";
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
    writeAtomically(home, FILE, this);
    writeAtomically(home, ENDPOINTS, endpoints());
  }

  /**
   * Kafka, the REST API and the first TaskManager's queryable state proxy, named as in the demo's
   * endpoints.json. A proxy answers only for jobs with tasks on its TaskManager: with slots spread
   * over the TaskManagers, every job at parallelism 2 or more has some on each.
   */
  Map<String, String> endpoints() {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("kafka", kafka);
    endpoints.put("flinkRest", flinkRest);
    processes(ClusterProcess.TASKMANAGER).stream()
        .map(ClusterProcess::queryableStatePort)
        .filter(Objects::nonNull)
        .findFirst()
        .ifPresent(port -> endpoints.put("queryableStateProxy", "127.0.0.1:" + port));
    return endpoints;
  }

  private static void writeAtomically(Path home, String name, Object value) {
    try {
      Path temporary = home.resolve(name + ".tmp");
      JSON.writeValue(temporary.toFile(), value);
      Files.move(temporary, home.resolve(name), StandardCopyOption.ATOMIC_MOVE);
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
