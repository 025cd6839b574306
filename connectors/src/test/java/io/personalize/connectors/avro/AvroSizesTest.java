package io.personalize.connectors.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.LearnedSettings;
import io.personalize.avro.ModelKind;
import io.personalize.avro.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSizesTest {

  /** A checkpoint of {@code items} items at k = 32 with ids of the given shape. */
  static GradientCheckpoint checkpoint(int items, String idPrefix, LearnedSettings learned) {
    Random random = new Random(items);
    List<ItemParameterDelta> deltas = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      List<Float> factors = new ArrayList<>();
      for (int f = 0; f < 32; f++) {
        factors.add((float) random.nextGaussian());
      }
      deltas.add(new ItemParameterDelta(idPrefix + i, random.nextGaussian(), factors, (long) i));
    }
    List<FeatureWeightDelta> weights = new ArrayList<>();
    for (int w = 0; w < items / 2; w++) {
      weights.add(new FeatureWeightDelta(w * 1_000, random.nextGaussian()));
    }
    return GradientCheckpoint.newBuilder()
        .setModelKind(ModelKind.HYBRID)
        .setObjective(Objective.RATING)
        .setVersion(Long.MAX_VALUE)
        .setPreviousVersion(-1)
        .setCreatedAtMillis(1_764_000_000_000L)
        .setEventsCovered(123_456)
        .setFactors(32)
        .setFeatureDimension(19)
        .setGlobalMeanDelta(0.001)
        .setItemDeltas(deltas)
        .setFeatureWeightDeltas(weights)
        .setMaxEventTimeMillis(1_764_000_000_000L)
        .setLearnedSettings(learned)
        .build();
  }

  static Stream<SpecificRecord> records() {
    LearnedSettings learned =
        new LearnedSettings(1.5, 0.5, 2.0, 20, 0.1, List.of(0.01, -0.02, 0.03), 7L, true);
    return Stream.concat(
        AvroCodecTest.records(),
        Stream.of(
            checkpoint(0, "i", null),
            checkpoint(1, "", learned),
            checkpoint(100, "item-", null),
            // Ids of two- and four-byte UTF-8 characters (the second a surrogate pair).
            checkpoint(50, "é\uD83D\uDE00", learned)));
  }

  @ParameterizedTest
  @MethodSource("records")
  void theBoundIsNeverBelowTheEncodedSize(SpecificRecord record) {
    @SuppressWarnings("unchecked")
    AvroCodec<SpecificRecord> codec = AvroCodec.of((Class<SpecificRecord>) record.getClass());

    assertThat(AvroSizes.upperBound(record)).isGreaterThanOrEqualTo(codec.encode(record).length);
  }

  static Stream<GradientCheckpoint> largeCheckpoints() {
    return Stream.of(checkpoint(100, "item-", null), checkpoint(1_000, "", null));
  }

  /** The bound's slack is per field: small enough on the large records it spares an encoding. */
  @ParameterizedTest
  @MethodSource("largeCheckpoints")
  void aLargeCheckpointsBoundIsWithinAThirdOfItsSize(GradientCheckpoint checkpoint) {
    long encoded = AvroCodec.of(GradientCheckpoint.class).encode(checkpoint).length;

    assertThat(AvroSizes.upperBound(checkpoint)).isLessThanOrEqualTo(encoded * 4 / 3);
  }
}
