package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.EventKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Recommendation lists through real parts: a click stream written to an in-process broker, the job
 * on a MiniCluster at parallelism 2, every user's lists read back from the compacted
 * recommendations topic and the live top-N metrics from the metrics topic.
 *
 * <p>The stream comes in parts. First 4 clusters of 5 items, each of 48 users clicking the items of
 * one cluster in order, one a minute. Then, twice, an hour apart, each user clicks its first item
 * once more: the graph and model replicas take a delta only once the watermark passed all of its
 * events, and the watermark is the slowest partition's, so lists made during a fast replay can be
 * empty; the second round moves every partition's watermark past the first part, and the third
 * round's lists have it all. Last, a user "probe" clicks the first two items of cluster 2: its list
 * must start with the rest of cluster 2, found by the walks.
 *
 * <p>The global fallback list (key "", for users the engine does not know) comes back on the same
 * topic; it is counted apart from the users' lists.
 */
class RecommendationsITCase {
  private static final long START = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
  private static final AvroCodec<RecommendationList> LISTS = AvroCodec.of(RecommendationList.class);
  private static final int USERS = 48;

  private static Dataset firstPart(Map<String, Set<String>> clicked) {
    List<Interaction> events = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int k = 0; k < 5; k++) {
        long time = START + u * 600_000L + k * 60_000L;
        events.add(click("u" + u, item(u % 4, k), time, clicked));
      }
    }
    return new Dataset("clusters", "generated", events, Map.of(), Dataset.IMPLICIT, events.size());
  }

  /** Every user clicks its first item again, {@code hours} after the first part. */
  private static Dataset again(int hours, Map<String, Set<String>> clicked) {
    List<Interaction> events = new ArrayList<>();
    long time = START + USERS * 600_000L + hours * 3_600_000L;
    for (int u = 0; u < USERS; u++) {
      events.add(click("u" + u, item(u % 4, 0), time + u * 1_000L, clicked));
    }
    return new Dataset("clusters", "generated", events, Map.of(), Dataset.IMPLICIT, events.size());
  }

  private static Dataset probe(Map<String, Set<String>> clicked) {
    List<Interaction> events = new ArrayList<>();
    long time = START + USERS * 600_000L + 3 * 3_600_000L;
    for (int k = 0; k < 2; k++) {
      events.add(click("probe", item(2, k), time + k * 60_000L, clicked));
    }
    return new Dataset("clusters", "generated", events, Map.of(), Dataset.IMPLICIT, events.size());
  }

  /**
   * Waits until {@code lists} users' lists came back in all (one per event) and {@code checks}
   * events were checked against a list (every event but a user's first).
   */
  private static void awaitLists(KafkaJob kafkaJob, int lists, long checks, String part) {
    JobConfig job = kafkaJob.config();
    String recommendations = job.get(PersonalizeOptions.TOPIC_RECOMMENDATIONS);
    long[] seen = {0, 0};
    boolean done =
        kafkaJob.consumeUntil(
            List.of(recommendations, job.get(PersonalizeOptions.TOPIC_METRICS)),
            r -> {
              if (r.topic().equals(recommendations)) {
                if (!LISTS.decode(r.value()).getFallback()) {
                  seen[0]++;
                }
              } else {
                MetricSnapshot m = AvroCodec.of(MetricSnapshot.class).decode(r.value());
                if (m.getCumulative() && m.getGroup() == 0 && m.getK() > 0) {
                  seen[1] = Math.max(seen[1], m.getEvents());
                }
              }
            },
            x -> seen[0] >= lists && seen[1] >= checks,
            Duration.ofMinutes(2));
    assertThat(done).as("%d lists and %d list checks after the %s", lists, checks, part).isTrue();
  }

  private static Interaction click(
      String user, String item, long time, Map<String, Set<String>> clicked) {
    clicked.computeIfAbsent(user, x -> new HashSet<>()).add(item);
    return Interaction.inSession(user, item, EventKind.CLICK, time);
  }

  private static String item(int cluster, int k) {
    return "c" + cluster + "i" + k;
  }

  @Test
  void everyUsersListComesBackThroughKafka() throws Exception {
    Map<String, Set<String>> clicked = new HashMap<>();
    Dataset first = firstPart(clicked);
    Dataset second = again(1, clicked);
    Dataset third = again(2, clicked);
    Dataset last = probe(clicked);
    int events = 7 * USERS + 2;
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 2);
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    // Every list on the topic, one per event: the test counts them (the default publish interval
    // would keep back all but the newest of a user's lists computed within 500 ms).
    settings.set(RecommendationOptions.PUBLISH_INTERVAL, Duration.ZERO);
    try (KafkaJob kafkaJob = new KafkaJob(settings, Files.createTempDirectory("checkpoints"))) {
      JobConfig job = kafkaJob.config();
      String recommendations = job.get(PersonalizeOptions.TOPIC_RECOMMENDATIONS);
      String metrics = job.get(PersonalizeOptions.TOPIC_METRICS);
      String interactions = job.get(PersonalizeOptions.TOPIC_INTERACTIONS);
      StreamExecutionEnvironment env = kafkaJob.environment();
      JobRunner.define(env, job, List.of());
      JobClient client = env.executeAsync("recommendations");
      try (InteractionProducer producer =
          new InteractionProducer(kafkaJob.kafka.bootstrapServers())) {
        producer.sendInteractions(first, interactions, 0, 1_000, (s, t) -> {});
        awaitLists(kafkaJob, 5 * USERS, 4 * USERS, "first part");
        producer.sendInteractions(second, interactions, 0, 1_000, (s, t) -> {});
        awaitLists(kafkaJob, 6 * USERS, 5 * USERS, "second part");
        producer.sendInteractions(third, interactions, 0, 1_000, (s, t) -> {});
        awaitLists(kafkaJob, 7 * USERS, 6 * USERS, "third part");
        producer.sendInteractions(last, interactions, 0, 1_000, (s, t) -> {});

        Map<String, RecommendationList> latest = new HashMap<>();
        Map<String, Integer> lists = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        long[] checked = {0};
        MetricSnapshot[] topN = {null};
        long expectedChecks = events - clicked.size();
        boolean done =
            kafkaJob.consumeUntil(
                List.of(recommendations, metrics),
                r -> {
                  if (r.topic().equals(recommendations)) {
                    RecommendationList list = LISTS.decode(r.value());
                    latest.put(list.getUserId(), list);
                    lists.merge(list.getUserId(), 1, Integer::sum);
                    keys.put(list.getUserId(), new String(r.key(), StandardCharsets.UTF_8));
                  } else {
                    MetricSnapshot m = AvroCodec.of(MetricSnapshot.class).decode(r.value());
                    if (m.getCumulative() && m.getGroup() == 0 && m.getK() > 0) {
                      checked[0] = Math.max(checked[0], m.getEvents());
                      topN[0] = m;
                    }
                  }
                },
                x ->
                    lists.entrySet().stream()
                                .filter(
                                    e -> !e.getKey().equals(RecommendationFunction.FALLBACK_USER))
                                .mapToInt(Map.Entry::getValue)
                                .sum()
                            == events
                        && checked[0] >= expectedChecks,
                Duration.ofMinutes(2));
        assertThat(done).as("a list for every user, every later event checked").isTrue();
        assertThat(client.getJobStatus().get().isGloballyTerminalState()).isFalse();

        RecommendationList fallback = latest.remove(RecommendationFunction.FALLBACK_USER);
        assertThat(fallback).as("the global fallback list").isNotNull();
        assertThat(keys.get("")).as("its record key").isEmpty();
        assertThat(fallback.getFallback()).isTrue();
        assertThat(fallback.getRecommender()).isEqualTo("fallback");
        assertThat(fallback.getUserEvents()).isZero();
        assertThat(fallback.getItems()).isNotEmpty();
        assertThat(fallback.getItems())
            .extracting(ScoredItem::getSource)
            .allMatch(source -> source.equals("new-users") || source.equals("popularity"));
        for (Map.Entry<String, RecommendationList> entry : latest.entrySet()) {
          String user = entry.getKey();
          RecommendationList list = entry.getValue();
          assertThat(keys.get(user)).as("record key").isEqualTo(user);
          assertThat(list.getRecommender()).isEqualTo("walks+rank+mmr");
          assertThat(list.getFallback()).isFalse();
          assertThat(list.getUserEvents()).as("%s's events", user).isPositive();
          assertThat(list.getEventTimeMillis()).isGreaterThanOrEqualTo(START);
          List<String> items = list.getItems().stream().map(ScoredItem::getItemId).toList();
          assertThat(items).as("%s's list", user).isNotEmpty().doesNotHaveDuplicates();
          assertThat(items)
              .as("none of %s's own items", user)
              .doesNotContainAnyElementsOf(clicked.get(user));
        }
        RecommendationList probe = latest.get("probe");
        assertThat(probe.getItems().subList(0, 3))
            .extracting(ScoredItem::getItemId)
            .containsExactlyInAnyOrder(item(2, 2), item(2, 3), item(2, 4));
        assertThat(probe.getItems().get(0).getSource()).isEqualTo("walks");
        assertThat(probe.getGraphVersion()).isPositive();
        assertThat(probe.getModelVersion()).isPositive();

        assertThat(topN[0].getMode()).isEqualTo("walks+rank+mmr");
        assertThat(topN[0].getK()).isEqualTo(10);
        assertThat(topN[0].getEvents()).isEqualTo(expectedChecks);
        assertThat(topN[0].getHitRate()).isNotNull().isBetween(0.0, 1.0);
        assertThat(topN[0].getMrr()).isNotNull().isLessThanOrEqualTo(topN[0].getHitRate());
        assertThat(topN[0].getRmse()).isNull();

        try (Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafkaJob.kafka.bootstrapServers()))) {
          ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, recommendations);
          String policy =
              admin
                  .describeConfigs(List.of(topic))
                  .all()
                  .get()
                  .get(topic)
                  .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                  .value();
          assertThat(policy).as("the latest list per user is kept").isEqualTo("compact");
        }
      } finally {
        client.cancel().get();
      }
    }
  }
}
