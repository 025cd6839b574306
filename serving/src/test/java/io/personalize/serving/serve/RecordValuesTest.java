package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.OutputFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server reads the recommendations topic in either output format the job may write. */
class RecordValuesTest {
  private static final RecommendationList LIST =
      new RecommendationList(
          "u1", 99L, 3L, List.of(new ScoredItem("i1", 4.9, "walks")), 7L, "walks", false, 98L, 12L);

  @Test
  void readsAvroAndJsonAlike() {
    AvroCodec<RecommendationList> codec = AvroCodec.of(RecommendationList.class);
    for (OutputFormat format : OutputFormat.values()) {
      byte[] value = format.encode(codec, LIST);
      assertThat(RecordValues.decode(RecommendationList.class, value))
          .as(format.name())
          .isEqualTo(LIST);
    }
  }

  @Test
  void refusesWhatIsNeither() {
    assertThatThrownBy(
            () ->
                RecordValues.decode(
                    RecommendationList.class, "[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a RecommendationList")
        .hasMessageContaining("nor a JSON object");
    assertThatThrownBy(
            () ->
                RecordValues.decode(
                    RecommendationList.class, "{\"userId\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'userId' must be a string");
  }
}
