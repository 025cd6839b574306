package io.personalize.connectors.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How much of a topic a consumer group would read if it started now: the records the topic holds,
 * and those after the group's committed offsets (all of a partition the group has none for). A job
 * that starts from its group's offsets and finds them at the end reads nothing until new records
 * come, which looked like a job that does not work.
 *
 * @param records the records the topic holds now (end offsets minus start offsets)
 * @param afterCommitted of those, the ones after the group's committed offsets
 * @param committed whether the group has committed offsets for any partition of the topic
 */
public record TopicBacklog(long records, long afterCommitted, boolean committed) {
  /**
   * Asks the cluster at {@code bootstrapServers}; a topic that does not exist holds no records.
   *
   * @throws IllegalStateException when the cluster does not answer within {@code timeout}
   */
  public static TopicBacklog of(
      String bootstrapServers,
      Map<String, String> client,
      String topic,
      String group,
      Duration timeout) {
    try (Admin admin =
        Admin.create(AdminSettings.of(bootstrapServers, client, timeout, "personalize-backlog"))) {
      long millis = timeout.toMillis();
      if (!admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS).contains(topic)) {
        return new TopicBacklog(0, 0, false);
      }
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(millis, TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions()
          .forEach(
              p -> {
                TopicPartition partition = new TopicPartition(topic, p.partition());
                earliest.put(partition, OffsetSpec.earliest());
                latest.put(partition, OffsetSpec.latest());
              });
      Map<TopicPartition, ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(millis, TimeUnit.MILLISECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(millis, TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(millis, TimeUnit.MILLISECONDS);
      long records = 0;
      long after = 0;
      boolean committed = false;
      for (TopicPartition partition : ends.keySet()) {
        long start = starts.get(partition).offset();
        long end = ends.get(partition).offset();
        OffsetAndMetadata at = offsets.get(partition);
        records += end - start;
        committed |= at != null;
        after += end - (at == null ? start : Math.min(end, Math.max(start, at.offset())));
      }
      return new TopicBacklog(records, after, committed);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the offsets of '" + topic + "' at " + bootstrapServers + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
