package io.personalize.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.data.DataSetReader;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SharedData;
import io.personalize.demo.Demo;
import io.personalize.eval.EventLog;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.UserSequence;
import io.personalize.job.Descriptors;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.Mode;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.ItemCatalog;
import io.personalize.online.Ids;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.rank.NegativeSampler;
import io.personalize.rank.RankingSteps;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.SeenItems;
import io.personalize.state.RecommendationView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The job's throughput with the recommending half off and on, back to back in one JVM on the same
 * data: each run is the demo's path ({@link Demo}: in-process Kafka, the data replayed into it, the
 * job on a local Flink with RocksDB at the default parallelism (2) unless {@code -D
 * personalize.parallelism=N}, throughput from job submission until the last event is scored and,
 * with recommendations on, taken by the recommendation operator). Then the serialized size of the
 * job's keyed state per user, by Flink's serializers of the job's state descriptors, for every user
 * of the data replayed in plain Java ({@code --rounds 0}: only these sizes).
 *
 * <p>{@code bin/benchmark throughput [--rounds N] [--data NAME] [-D KEY=VALUE]...}; each round runs
 * off, then on. Every demo's output goes to {@code OUT/<round>-<off|on>/demo.log}.
 */
public final class RecommendThroughput {
  private RecommendThroughput() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("out/bench/throughput");
    String data = "ml-100k";
    int rounds = 1;
    Map<String, String> extra = new LinkedHashMap<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--out" -> out = Path.of(args[++a]);
        case "--data" -> data = args[++a];
        case "--rounds" -> rounds = Integer.parseInt(args[++a]);
        case "-D" -> {
          String[] kv = args[++a].split("=", 2);
          extra.put(kv[0], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[a]);
      }
    }
    String name = data;
    Path path =
        Files.exists(Path.of(data))
            ? Path.of(data)
            : SharedData.find(data)
                .orElseThrow(() -> new IllegalArgumentException("no data set " + name));
    Dataset dataset = DataSetReader.read(path);
    System.out.printf(
        "data: %s, %,d events; cores %d; load average at start %s%n",
        dataset.name(),
        dataset.interactions().size(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());

    List<String> rows = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      double off = 0;
      for (boolean recommend : new boolean[] {false, true}) {
        String label = round + "-" + (recommend ? "on" : "off");
        Path dir = out.resolve(label);
        Files.createDirectories(dir);
        Configuration conf = new Configuration();
        // As `personalize demo`: metrics every second.
        conf.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
        extra.forEach(conf::setString);
        conf.set(RecommendationOptions.ENABLED, recommend);
        String before = loadAverage();
        try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("demo.log")))) {
          new Demo(conf, log, 600_000, false).run(dataset, dir);
        }
        JsonNode t = new ObjectMapper().readTree(dir.resolve("throughput.json").toFile());
        double rate = t.path("eventsPerSecond").asDouble();
        if (!recommend) {
          off = rate;
        }
        String row =
            String.format(
                Locale.ROOT,
                "| %d | %d | %s | %,d | %.1f | %,.0f | %s | %s | %s | %s |",
                round,
                t.path("parallelism").asInt(),
                recommend ? "on" : "off",
                t.path("events").asLong(),
                t.path("seconds").asDouble(),
                rate,
                recommend ? String.format(Locale.ROOT, "%.2f", rate / off) : "1",
                recommend
                    ? String.format(Locale.ROOT, "%,d", t.path("listsComputed").asLong())
                    : "-",
                recommend
                    ? String.format(Locale.ROOT, "%,.0f", t.path("listsPerSecond").asDouble())
                    : "-",
                before + " / " + loadAverage());
        System.out.println(row);
        rows.add(row);
      }
    }
    System.out.println();
    System.out.println(
        "| round | parallelism | recommend | events | seconds | events/s | on / off | lists | lists/s | load"
            + " average before / after |");
    System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
    rows.forEach(System.out::println);
    System.out.println();
    printStateSizes(dataset);
  }

  /**
   * Replays the data's events per user through the job's keyed state (as the personal-model, user
   * sequence and recommendation operators keep it) and prints the serialized sizes per user.
   */
  static void printStateSizes(Dataset dataset) throws IOException {
    JobConfig config = JobConfig.from(new Configuration());
    int dimension = config.featureSpace().dimension();
    UserModels models = new UserModels(config.rankingModel(), dimension, 0, Set.of(), item -> item);
    UserModels personal =
        new UserModels(
            config.model(),
            dimension,
            config.initialMean(),
            config.shadowModes(),
            config.shadowShare(),
            item -> item);
    GraphSettings graph = config.graphSettings();
    int recent = config.get(PersonalizeOptions.RECENT_ITEMS);
    int seenCap = config.get(RecommendationOptions.SEEN_ITEMS);
    int length = config.listSettings().length();
    // The models learn every event against untrained shared blocks: a stored block's size depends
    // on which feature deviations its steps made nonzero, not on the shared block.
    EventLog log = EventLog.of(dataset);
    ItemCatalog catalog = log.catalog(config.featureSpace());
    SharedParameters ratingShared =
        new SharedParameters(
            personal.model().factors(),
            dimension,
            config.initialMean(),
            config.model().initializer());
    SharedParameters rankingShared =
        new SharedParameters(
            models.model().factors(), dimension, 0, config.rankingModel().initializer());
    NegativeSampler sampler =
        new NegativeSampler(config.negativeSampling(), config.rankingModel().seed());
    RankingSteps steps =
        new RankingSteps(
            config.signalWeights(), config.get(RecommendationOptions.RANKING_NEGATIVES), sampler);
    double[] predictions = new double[Mode.values().length];
    Map<String, UserState> own = new HashMap<>();
    Map<String, UserState> states = new HashMap<>();
    Map<String, SeenItems> seen = new HashMap<>();
    Map<String, Set<Integer>> userItems = new HashMap<>();
    Map<String, UserSequence> sequences = new HashMap<>();
    for (int e = 0; e < log.events(); e++) {
      String user = log.userIds.get(log.user[e]);
      String itemId = log.itemIds.get(log.item[e]);
      int item = log.item[e];
      long time = log.time[e];
      ratingShared.ensureItem(item);
      rankingShared.ensureItem(item);
      sampler.ensureItem(item);
      if (log.kind[e].isRating()) {
        personal.step(
            own.computeIfAbsent(user, id -> personal.newUser(id, Ids.hash(id))),
            ratingShared,
            item,
            catalog.features(item),
            log.value[e],
            1,
            predictions);
      }
      UserState state = states.computeIfAbsent(user, id -> models.newUser(id, Ids.hash(id)));
      Set<Integer> items = userItems.computeIfAbsent(user, id -> new HashSet<>());
      steps.plan(item, log.kind[e], items::contains);
      sampler.add(item, 1);
      models.learnPlan(state, rankingShared, steps, catalog::features, 1);
      items.add(item);
      catalog.observe(item);
      state.lastEventTimeMillis = Math.max(state.lastEventTimeMillis, time);
      state.rememberItem(itemId, recent);
      SeenItems s = seen.computeIfAbsent(user, id -> new SeenItems());
      s.remember(itemId, seenCap);
      s.lastEventTimeMillis = Math.max(s.lastEventTimeMillis, time);
      sequences.computeIfAbsent(user, id -> new UserSequence()).remember(itemId, 1, time, graph);
    }
    Sizes userState = new Sizes(Descriptors.userState());
    Sizes rankingState = new Sizes(Descriptors.rankingUserState());
    Sizes view = new Sizes(Descriptors.recommendations());
    Sizes sequence = new Sizes(Descriptors.userSequence());
    Sizes sequenceSeen = new Sizes(Descriptors.sequenceSeenItems());
    for (String user : states.keySet()) {
      UserState state = states.get(user);
      UserState rated = own.get(user);
      if (rated != null) {
        rated.lastEventTimeMillis = state.lastEventTimeMillis;
        personal.recordStep(rated, 1, 1, 1);
        userState.add(rated);
      }
      state.seen = seen.get(user);
      rankingState.add(state);
      sequenceSeen.add(seen.get(user));
      sequence.add(sequences.get(user));
      // A full list: K of the user's items stand in for the recommended ones (ids alike).
      RecommendationView v = new RecommendationView();
      v.userId = user;
      String[] items = state.recentItems;
      v.itemIds = new String[length];
      v.sources = new String[length];
      v.scores = new double[length];
      for (int n = 0; n < length; n++) {
        v.itemIds[n] = items[n % items.length];
        v.sources[n] = "walks";
        v.scores[n] = 0.5;
      }
      v.recommender = config.listSettings().kind().label();
      view.add(v);
    }
    System.out.printf(
        Locale.ROOT,
        "keyed state per user, serialized (Flink's serializers; %,d users of %s; k = %d, %d"
            + " features, %d candidates, a share %.2f of users with every one; shadow modes %s for a share %.2f;"
            + " seen items cap %d; recent items %d):%n%n",
        states.size(),
        dataset.name(),
        config.rankingModel().factors(),
        dimension,
        config.rankingModel().adaptiveCandidates().size(),
        config.model().tuning().candidateShare(),
        config.shadowModes(),
        config.shadowShare(),
        seenCap,
        recent);
    System.out.println("| operator | state | mean bytes | max bytes |");
    System.out.println("|---|---|---:|---:|");
    userState.print("personal models");
    rankingState.print("recommendations");
    view.print("recommendations");
    sequence.print("user sequences");
    sequenceSeen.print("user sequences");
    long mean =
        Math.round(
            userState.mean()
                + rankingState.mean()
                + view.mean()
                + sequence.mean()
                + sequenceSeen.mean());
    System.out.printf(Locale.ROOT, "| all | | %,d | |%n", mean);
    System.out.printf(
        Locale.ROOT,
        "%n(seen items cap %d vs the most distinct items of a user in the data: %d)%n",
        RecommendationDefaults.SEEN_ITEMS,
        seen.values().stream().mapToInt(SeenItems::size).max().orElse(0));
  }

  /** Serialized sizes of the values of one state descriptor. */
  private static final class Sizes {
    private final String name;
    private final TypeSerializer<Object> serializer;
    private final DataOutputSerializer buffer = new DataOutputSerializer(4096);
    private long total;
    private long max;
    private int count;

    @SuppressWarnings("unchecked")
    Sizes(ValueStateDescriptor<?> descriptor) {
      descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
      this.name = descriptor.getName();
      this.serializer = (TypeSerializer<Object>) descriptor.getSerializer();
    }

    void add(Object value) throws IOException {
      buffer.clear();
      serializer.serialize(value, buffer);
      total += buffer.length();
      max = Math.max(max, buffer.length());
      count++;
    }

    double mean() {
      return (double) total / count;
    }

    void print(String operator) {
      System.out.printf(
          Locale.ROOT,
          "| %s | `%s` (%s) | %,.0f | %,d |%n",
          operator,
          name,
          serializer.getClass().getSimpleName(),
          mean(),
          max);
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "n/a";
    }
  }
}
