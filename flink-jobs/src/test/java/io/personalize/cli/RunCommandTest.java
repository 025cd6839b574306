package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.data.SharedData;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The item-file path of {@code personalize run --items-file}: file to metadata to raw records. */
class RunCommandTest {
  @Test
  void itemFileBecomesTheRecordsTheItemsTopicWouldCarry(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,100\n");
    Files.writeString(
        dir.resolve("movies.csv"),
        "movieId,title,genres\n10,\"Heat, The (1995)\",Action|Crime\n11,Babe (1995),Children\n");

    List<ItemMetadata> items = RunCommand.fileItems(dir.resolve("ratings.csv"));
    assertThat(items).hasSize(2);
    ItemMetadata heat =
        items.stream().filter(i -> i.getItemId().equals("10")).findFirst().orElseThrow();
    assertThat(heat.getGenres()).containsExactly("Action", "Crime");
    assertThat(heat.getYear()).isEqualTo(1995);

    List<RawRecord> records = JobRunner.itemRecords(items);
    AvroCodec<ItemMetadata> codec = AvroCodec.of(ItemMetadata.class);
    assertThat(records).extracting(r -> codec.decode(r.value)).containsExactlyElementsOf(items);
    assertThat(records).extracting(r -> r.offset).containsExactly(0L, 1L);
  }

  @Test
  void movieLensItemFileHasEveryItem() {
    Path data = SharedData.find("ml-100k").orElse(null);
    Assumptions.assumeTrue(data != null, "ml-100k not found under shared/data");
    List<ItemMetadata> items = RunCommand.fileItems(data);
    assertThat(items).hasSize(1682);
    ItemMetadata toyStory =
        items.stream().filter(i -> i.getItemId().equals("1")).findFirst().orElseThrow();
    assertThat(toyStory.getGenres()).containsExactlyInAnyOrder("Animation", "Children's", "Comedy");
  }
}
