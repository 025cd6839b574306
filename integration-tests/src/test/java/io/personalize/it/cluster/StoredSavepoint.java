package io.personalize.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.personalize.cluster.ClusterSettings;
import io.personalize.cluster.Layout;
import io.personalize.cluster.LocalCluster;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The savepoints stored in the repository ({@code src/test/resources/savepoints/NAME}), which every
 * build restores with the current code: the job's state compatibility promise. Each holds a
 * savepoint of the job after {@link #EVENTS} generated events and a {@code manifest.json} with what
 * every user's state must count.
 *
 * <p>A new one is made (after a deliberate state change, with its migration) by running {@link
 * #main} with {@code -Dpersonalize.root=.} from the repository's root: {@code mvn -pl
 * integration-tests -am test-compile} first, then the test classpath.
 */
final class StoredSavepoint {
  static final long SEED = 7;
  static final int USERS = 100;
  static final int ITEMS = 50;
  static final int EVENTS = 2_000;
  static final int MORE_EVENTS = 1_000;
  static final int PARALLELISM = 2;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  final Path directory;
  final JsonNode manifest;

  private StoredSavepoint(Path directory) throws IOException {
    this.directory = directory;
    this.manifest = JSON.readTree(directory.resolve("manifest.json").toFile());
  }

  /** Every stored savepoint, oldest first. */
  static Stream<StoredSavepoint> all() throws IOException {
    Path root = Path.of("src", "test", "resources", "savepoints");
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().map(StoredSavepoint::open).toList().stream();
    }
  }

  private static StoredSavepoint open(Path directory) {
    try {
      return new StoredSavepoint(directory);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The generated events: the first {@link #EVENTS} are in the savepoint, the rest come after. */
  static Dataset events() {
    return SyntheticData.generate(SEED, USERS, ITEMS, EVENTS + MORE_EVENTS);
  }

  /** The savepoint's own directory (the one holding {@code _metadata}). */
  Path savepoint() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .findFirst()
          .orElseThrow()
          .getParent();
    }
  }

  Map<String, Long> eventsPerUser() {
    Map<String, Long> counts = new LinkedHashMap<>();
    manifest
        .path("eventsPerUser")
        .fields()
        .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  /** Makes a new stored savepoint: {@code args[0]} is its name, e.g. {@code v1}. */
  public static void main(String[] args) throws Exception {
    Path target = Path.of("integration-tests", "src", "test", "resources", "savepoints", args[0]);
    if (Files.exists(target)) {
      throw new IllegalArgumentException(target + " exists: stored savepoints are never replaced");
    }
    // Flink keeps the file name a small state part would have had in the metadata, although the
    // part itself is inline: a neutral directory keeps any checkout's path out of the repository.
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "personalize-stored-savepoint");
    if (Files.exists(home)) {
      throw new IllegalArgumentException(home + " exists: remove it first");
    }
    try (LocalCluster cluster =
        LocalCluster.start(
            Layout.fromSystemProperty(),
            ClusterSettings.defaults(home).withFreePorts(),
            System.out)) {
      // Topics of their own: every stored savepoint is restored in one cluster, each reading on
      // from its own offsets (v1, the first, has the prefix "stored").
      String topicPrefix = "stored-" + args[0];
      ClusterJob job = new ClusterJob(cluster, topicPrefix, PARALLELISM);
      job.submit(PARALLELISM, null);
      Dataset events = events();
      job.produce(events.interactions().subList(0, EVENTS), events);
      job.awaitScored(EVENTS);
      job.assertEveryEventAppliedOnce();
      Path savepoint = Path.of(java.net.URI.create(cluster.stopJobWithSavepoint().orElseThrow()));
      copy(savepoint, target.resolve(savepoint.getFileName()));
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("job", "personalize");
      manifest.put("topicPrefix", topicPrefix);
      manifest.put("parallelism", PARALLELISM);
      manifest.put("generated", Map.of("seed", SEED, "users", USERS, "items", ITEMS));
      manifest.put("events", EVENTS);
      manifest.put("eventsPerUser", job.produced);
      JSON.writeValue(target.resolve("manifest.json").toFile(), manifest);
      System.out.println("stored " + target);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
        Path destination = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
