package io.personalize.cli;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.KafkaReachability;
import io.personalize.connectors.kafka.Topics;
import io.personalize.demo.ShutdownHooks;
import io.personalize.eval.LiveLine;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.model.RatingScale;
import io.personalize.serving.config.SettingFlags;
import io.personalize.settings.KafkaClientSettings;
import io.personalize.util.Messages;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code personalize produce}: replays a data set into Kafka, item metadata first, then the events
 * (ratings, or the clicks and views of session data) in time order (see {@link
 * InteractionProducer}).
 */
@Command(
    name = "produce",
    header = "Replays a data set into Kafka, in time order, keyed by user.",
    mixinStandardHelpOptions = true,
    description = {
      "Replays a data set into Kafka: item metadata (ItemMetadata) to --items-topic,"
          + " then every event, in time order and keyed by user, as an InteractionEvent to"
          + " --topic, in Avro single-object encoding (or JSON objects with --format json),"
          + " with its event time as the record timestamp: a RATING with its rating, or a"
          + " CLICK (yoochoose) or VIEW (DIGINETICA) with value 1.0, keyed by its session.",
      "A topic that does not exist is created to keep records forever; an existing"
          + " topic whose retention would delete the replayed (old) events gets a warning."
    })
public final class ProduceCommand implements Callable<Integer> {
  @Option(
      names = "--topic",
      defaultValue = "interactions",
      description = "Topic of the interaction events (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--items-topic",
      defaultValue = "items",
      description =
          "Topic of the item metadata; skipped when the data has no item file (default:"
              + " ${DEFAULT-VALUE}).")
  String itemsTopic;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description =
          "Kafka bootstrap servers, host:port[,host:port...] (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description =
          "Wire format of the item metadata and the events: avro (single-object encoding) or json"
              + " (one JSON object per record, docs/formats.md); the job reads both (default:"
              + " ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "At most this many events per second; 0 = as fast as possible (default: 0).")
  double rate;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "30",
      description =
          "Give up when Kafka does not answer or acknowledge within this time (default:"
              + " ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of a topic this command creates because it does not exist (default:"
              + " ${DEFAULT-VALUE}). It creates topics that keep records forever"
              + " (retention.ms=-1): the records carry their event times, which in replayed"
              + " history are older than any time-based retention.")
  int partitions;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of --data generated (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin DataSets.Options dataSet;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client setting as personalize.kafka.<setting>, as `run` takes it, e.g. -D"
              + " personalize.kafka.security.protocol=SASL_SSL. A password is better kept in"
              + " --config-file: a command line is visible to every user of the machine.")
  Map<String, String> properties;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "A Flink config file (config.yaml syntax) with personalize.kafka.* keys, as `run` and"
              + " `serve` read it; -D overrides it.")
  Path configFile;

  @Option(
      names = "--skip",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Skip the first N events in time order, and the item metadata: what an interrupted"
              + " replay printed, to send the rest (default: ${DEFAULT-VALUE}).")
  long skip;

  @Option(names = "--no-progress", description = "Do not show progress.")
  boolean noProgress;

  @Override
  public Integer call() {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "--rate must be 0 (unthrottled) or a positive number of events per second, got " + rate);
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--timeout-seconds must be at least 1, got " + timeoutSeconds);
    }
    if (topic.isBlank() || itemsTopic.isBlank()) {
      throw new IllegalArgumentException("--topic and --items-topic must not be empty");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
    }
    OutputFormat wire;
    try {
      wire = OutputFormat.named(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format is avro or json, not '" + format + "'");
    }
    Map<String, String> client = clientProperties();
    Dataset dataset = dataSet.load(seed);
    PrintStream err = System.err;
    err.printf(
        "read %s (%s): %,d events, %,d items%n",
        dataset.name(), dataset.layout(), dataset.interactions().size(), dataset.items().size());
    printScaleHint(dataset, err);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    KafkaReachability.check(
        bootstrapServers, client, timeout, "--bootstrap-servers, --timeout-seconds");
    prepareTopics(dataset, client, timeout, err);

    List<Interaction> ordered = InteractionProducer.inSendingOrder(dataset);
    if (skip < 0 || skip > ordered.size()) {
      throw new IllegalArgumentException(
          String.format(
              "--skip must be 0..%d (the events of %s), got %d",
              ordered.size(), dataset.name(), skip));
    }
    Dataset rest =
        new Dataset(
            dataset.name(),
            dataset.layout(),
            ordered.subList((int) skip, ordered.size()),
            dataset.items(),
            dataset.scale());
    long start = System.nanoTime();
    long items = 0;
    long events;
    ProgressLine progress = new ProgressLine(err, !noProgress);
    // Ctrl-C (or SIGTERM) stops the replay after the event being sent; the shutdown waits until it
    // has said how far it got, so the rest can be sent with --skip instead of all of it again.
    CountDownLatch told = new CountDownLatch(1);
    Thread onShutdown = null;
    try {
      try (InteractionProducer producer =
          new InteractionProducer(bootstrapServers, client, timeout, wire)) {
        onShutdown =
            ShutdownHooks.add(
                "produce-interrupted",
                () -> {
                  producer.stop();
                  awaitQuietly(told, timeout.plusSeconds(5));
                });
        if (!dataset.items().isEmpty() && skip == 0) {
          items = producer.sendItems(dataset.items(), itemsTopic);
        }
        long every = rate > 0 ? Math.max(1, (long) (rate / 8)) : 1000;
        progress.start(); // the rate counts from the first event, not from the item metadata
        events = producer.sendInteractions(rest, topic, rate, every, progress::update);
      } catch (KafkaException e) {
        throw new IllegalArgumentException(Messages.oneLine(e), e);
      } finally {
        progress.finish(); // the error message, if any, starts on a line of its own
      }
      long through = skip + events;
      if (through < ordered.size()) {
        err.printf(
            "interrupted: the first %,d of the %,d events in time order are in '%s' (%,d sent"
                + " now, each acknowledged by the broker); --skip %d sends the rest%n",
            through, ordered.size(), topic, events, through);
        return 130;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "sent %,d events%s to '%s'%s at %s in %.1f s (%,.0f events/s)%n",
          events,
          skip > 0 ? String.format(" (the first %,d skipped)", skip) : "",
          topic,
          items > 0
              ? String.format(" and %,d items to '%s'", items, itemsTopic)
              : dataset.items().isEmpty() ? " (no item file)" : " (item metadata skipped)",
          bootstrapServers,
          seconds,
          events / Math.max(seconds, 1e-9));
      return 0;
    } finally {
      told.countDown();
      ShutdownHooks.remove(onShutdown);
    }
  }

  private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
    try {
      latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A data set rated on another scale than the job's default (ml-latest-small: 0.5 to 5) needs the
   * job's rating.* settings: the job sends ratings outside its scale to the dead letters.
   */
  private static void printScaleHint(Dataset dataset, PrintStream err) {
    RatingScale scale = dataset.scale();
    boolean rated = dataset.interactions().stream().anyMatch(i -> i.kind().isRating());
    if (rated
        && (scale.min() != PersonalizeOptions.RATING_MIN.defaultValue()
            || scale.max() != PersonalizeOptions.RATING_MAX.defaultValue())) {
      err.printf(
          "its ratings go from %s to %s: run the job with --rating-min %1$s --rating-max %2$s, or"
              + " those outside %s to %s become dead letters%n",
          scale.min(),
          scale.max(),
          PersonalizeOptions.RATING_MIN.defaultValue(),
          PersonalizeOptions.RATING_MAX.defaultValue());
    }
  }

  /**
   * Creates the topics that do not exist, keeping records forever, and warns when the existing
   * interactions topic would delete the replayed records for their age. A topic left to be
   * auto-created on first write would get the broker's default retention (7 days) and lose a replay
   * of older history at the broker's first retention check.
   */
  private void prepareTopics(
      Dataset dataset, Map<String, String> client, Duration timeout, PrintStream err) {
    List<String> needed = new ArrayList<>();
    needed.add(topic);
    if (!dataset.items().isEmpty() && !itemsTopic.equals(topic)) {
      needed.add(itemsTopic);
    }
    try (Topics topics = new Topics(bootstrapServers, client, timeout)) {
      List<String> created = topics.createForReplay(partitions, needed.toArray(new String[0]));
      if (!created.isEmpty()) {
        err.printf(
            "created topic%s %s with %d partition%s, keeping records forever (retention.ms=-1,"
                + " retention.bytes=-1): the replayed events carry their own event times, which"
                + " a time-based retention would count as expired%n",
            created.size() == 1 ? "" : "s",
            created.stream().map(t -> "'" + t + "'").collect(Collectors.joining(" and ")),
            partitions,
            partitions == 1 ? "" : "s");
      }
      if (!created.contains(topic) && !dataset.interactions().isEmpty()) {
        Instant oldest = Instant.ofEpochMilli(oldestEventTime(dataset));
        try {
          topics
              .retentionProblem(topic, oldest, Instant.now())
              .ifPresent(problem -> err.println("personalize: warning: " + problem));
        } catch (IllegalStateException e) {
          // Not allowed to read the configuration, say: the user may know better, write anyway.
          err.println(
              "personalize: warning: cannot check the retention of topic '"
                  + topic
                  + "': "
                  + Messages.oneLine(e));
        }
      }
    } catch (IllegalStateException | KafkaException e) {
      throw new IllegalArgumentException("cannot prepare the topics: " + Messages.oneLine(e), e);
    }
  }

  private static long oldestEventTime(Dataset dataset) {
    long oldest = Long.MAX_VALUE;
    for (Interaction interaction : dataset.interactions()) {
      oldest = Math.min(oldest, interaction.timeMillis());
    }
    return oldest;
  }

  /**
   * The Kafka client settings of {@code -D} and {@code --config-file}: only {@code
   * personalize.kafka.*} keys, since this command has no other setting of that kind.
   */
  Map<String, String> clientProperties() {
    Map<String, String> given = new SettingFlags().configuration(configFile, properties).toMap();
    for (String key : given.keySet()) {
      if (!key.startsWith(KafkaClientSettings.PREFIX)) {
        throw new IllegalArgumentException(
            "produce takes only Kafka client settings ("
                + KafkaClientSettings.PREFIX
                + "*) from -D and --config-file, not "
                + key);
      }
    }
    return KafkaClientSettings.from(given);
  }

  /** done/total, percent and rate on a {@link LiveLine}; the last update always shown. */
  private static final class ProgressLine {
    private final LiveLine line;
    private final boolean enabled;
    private long startNanos;

    ProgressLine(PrintStream err, boolean enabled) {
      this.line = LiveLine.onStderr(err);
      this.enabled = enabled;
    }

    void start() {
      startNanos = System.nanoTime();
    }

    void update(long done, long total) {
      if (enabled) {
        line.update(done == total, () -> text(done, total));
      }
    }

    private String text(long done, long total) {
      double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
      return String.format(
          "sent %,d / %,d events (%3.0f%%), %,.0f events/s",
          done, total, total == 0 ? 100.0 : 100.0 * done / total, done / seconds);
    }

    void finish() {
      line.end();
    }
  }
}
