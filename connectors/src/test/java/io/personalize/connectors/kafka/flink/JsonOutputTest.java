package io.personalize.connectors.kafka.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.ModelKind;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.json.JsonRecords;
import io.personalize.connectors.kafka.flink.KafkaConnectors.RecordSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON form of each output topic's record, as the sink writes it with {@link
 * OutputFormat#JSON}, and read back by the decoder every reader of the topics uses.
 */
class JsonOutputTest {
  private static final RecommendationList LIST =
      new RecommendationList(
          "u1",
          99L,
          3L,
          List.of(new ScoredItem("i1", 4.9, "walks"), new ScoredItem("i2", 0.5, "popularity")),
          7L,
          "walks+rank",
          false,
          98L,
          12L);
  private static final MetricSnapshot METRICS =
      new MetricSnapshot(
          "HYBRID", "adaptive", 0, true, 0L, 100L, 10L, 3L, 0.9, 0.7, null, null, 10, 0.2, 0.1);
  private static final GradientCheckpoint CHECKPOINT =
      GradientCheckpoint.newBuilder()
          .setModelKind(ModelKind.HYBRID)
          .setVersion(3)
          .setPreviousVersion(2)
          .setCreatedAtMillis(1000)
          .setEventsCovered(5000)
          .setFactors(2)
          .setFeatureDimension(64)
          .setGlobalMeanDelta(0.01)
          .setItemDeltas(List.of(new ItemParameterDelta("i1", 0.1, List.of(0.5f, -0.25f), 3L)))
          .setFeatureWeightDeltas(List.of(new FeatureWeightDelta(7, -0.003)))
          .build();

  private static <T extends SpecificRecord> String written(T record, OutputFormat format)
      throws Exception {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    RecordSerializationSchema<T> schema =
        InstantiationUtil.clone(new RecordSerializationSchema<>("t", type, format, null, null));
    byte[] value = schema.serialize(record, null, null).value();
    assertThat(RecordDecoder.of(type).decode(value)).isEqualTo(record);
    return new String(value, StandardCharsets.ISO_8859_1);
  }

  @Test
  void recommendationsAsJson() throws Exception {
    assertThat(written(LIST, OutputFormat.JSON))
        .isEqualTo(
            "{\"userId\":\"u1\",\"generatedAtMillis\":99,\"modelVersion\":3,\"items\":["
                + "{\"itemId\":\"i1\",\"score\":4.9,\"source\":\"walks\"},"
                + "{\"itemId\":\"i2\",\"score\":0.5,\"source\":\"popularity\"}],"
                + "\"graphVersion\":7,\"recommender\":\"walks+rank\",\"fallback\":false,"
                + "\"eventTimeMillis\":98,\"userEvents\":12}");
  }

  @Test
  void metricsAsJson() throws Exception {
    assertThat(written(METRICS, OutputFormat.JSON))
        .isEqualTo(
            "{\"model\":\"HYBRID\",\"mode\":\"adaptive\",\"group\":0,\"cumulative\":true,"
                + "\"windowStartMillis\":0,\"windowEndMillis\":100,\"events\":10,\"users\":3,"
                + "\"rmse\":0.9,\"mae\":0.7,\"logloss\":null,\"auc\":null,\"k\":10,"
                + "\"hitRate\":0.2,\"mrr\":0.1}");
  }

  @Test
  void modelUpdatesAsJson() throws Exception {
    assertThat(written(CHECKPOINT, OutputFormat.JSON))
        .isEqualTo(
            "{\"modelKind\":\"HYBRID\",\"version\":3,\"previousVersion\":2,"
                + "\"createdAtMillis\":1000,\"eventsCovered\":5000,\"factors\":2,"
                + "\"featureDimension\":64,\"globalMeanDelta\":0.01,\"itemDeltas\":["
                + "{\"itemId\":\"i1\",\"biasDelta\":0.1,\"factorDelta\":[0.5,-0.25],"
                + "\"countDelta\":3}],\"featureWeightDeltas\":[{\"index\":7,\"delta\":-0.003}],"
                + "\"maxEventTimeMillis\":0,\"objective\":\"RATING\",\"learnedSettings\":null,"
                + "\"part\":0,\"parts\":1}");
  }

  @Test
  void avroStaysTheDefault() throws Exception {
    byte[] value =
        new RecordSerializationSchema<>("t", RecommendationList.class, null, null)
            .serialize(LIST, null, null)
            .value();
    assertThat(new byte[] {value[0], value[1]}).containsExactly(0xC3, 0x01);
    for (SpecificRecord record : List.of(LIST, METRICS, CHECKPOINT)) {
      assertThat(written(record, OutputFormat.AVRO)).startsWith("\u00C3\u0001");
    }
  }

  @ParameterizedTest
  @MethodSource("io.personalize.connectors.avro.AvroCodecTest#records")
  <T extends SpecificRecord> void everyWireTypeRoundTripsAsJson(T record) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    assertThat(RecordDecoder.of(type).decode(JsonRecords.write(record))).isEqualTo(record);
  }
}
