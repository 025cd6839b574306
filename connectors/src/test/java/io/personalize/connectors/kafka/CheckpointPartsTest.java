package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.ModelKind;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroSizes;
import io.personalize.connectors.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointPartsTest {
  private static final AvroCodec<GradientCheckpoint> CODEC = AvroCodec.of(GradientCheckpoint.class);

  /** 300 items at k = 64 (about 270 Avro bytes each) and 1,000 feature weights (about 11 each). */
  private static GradientCheckpoint large() {
    List<ItemParameterDelta> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      List<Float> factors = new ArrayList<>();
      for (int f = 0; f < 64; f++) {
        factors.add(i * 0.001f + f);
      }
      items.add(new ItemParameterDelta("item-" + i, i * 0.5, factors, (long) i));
    }
    List<FeatureWeightDelta> weights = new ArrayList<>();
    for (int w = 0; w < 1_000; w++) {
      weights.add(new FeatureWeightDelta(w, w * 0.25));
    }
    return GradientCheckpoint.newBuilder()
        .setModelKind(ModelKind.HYBRID)
        .setVersion(8)
        .setPreviousVersion(7)
        .setCreatedAtMillis(1000)
        .setEventsCovered(5000)
        .setFactors(64)
        .setFeatureDimension(1024)
        .setGlobalMeanDelta(0.125)
        .setItemDeltas(items)
        .setFeatureWeightDeltas(weights)
        .setMaxEventTimeMillis(99)
        .build();
  }

  /** The size bound spares the encoding only when it fits; the exact size decides otherwise. */
  @Test
  void aCheckpointOverItsBoundButWithinTheLimitIsStillOneRecord() {
    GradientCheckpoint whole = large();
    int encoded = CODEC.encode(whole).length;
    assertThat(AvroSizes.upperBound(whole)).isGreaterThan(encoded);

    assertThat(CheckpointParts.split(whole, OutputFormat.AVRO, encoded)).containsExactly(whole);
    assertThat(CheckpointParts.split(whole, OutputFormat.AVRO, encoded - 1)).hasSizeGreaterThan(1);
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void aCheckpointThatFitsIsItsOwnSingleRecord(OutputFormat format) {
    GradientCheckpoint whole = large();

    List<GradientCheckpoint> records = CheckpointParts.split(whole, format, 1_000_000);

    assertThat(records).containsExactly(whole);
    assertThat(whole.getPart()).isZero();
    assertThat(whole.getParts()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void aLargerOneIsSplitIntoDisjointPartsThatEachFitAndAddUpToTheWhole(OutputFormat format) {
    GradientCheckpoint whole = large();
    int wholeSize = format.encode(CODEC, whole).length;
    int max = 20_000;

    List<GradientCheckpoint> parts = CheckpointParts.split(whole, format, max);

    assertThat(parts.size()).isGreaterThanOrEqualTo((wholeSize + max - 1) / max);
    List<ItemParameterDelta> items = new ArrayList<>();
    List<FeatureWeightDelta> weights = new ArrayList<>();
    double meanDelta = 0;
    for (int p = 0; p < parts.size(); p++) {
      GradientCheckpoint part = parts.get(p);
      assertThat(format.encode(CODEC, part).length).as("part %d", p).isLessThanOrEqualTo(max);
      assertThat(part.getPart()).isEqualTo(p);
      assertThat(part.getParts()).isEqualTo(parts.size());
      assertThat(part.getVersion()).isEqualTo(8);
      assertThat(part.getPreviousVersion()).isEqualTo(7);
      assertThat(part.getEventsCovered()).isEqualTo(5000);
      assertThat(part.getMaxEventTimeMillis()).isEqualTo(99);
      assertThat(part.getFactors()).isEqualTo(64);
      assertThat(part.getGlobalMeanDelta()).isEqualTo(p == 0 ? 0.125 : 0.0);
      assertThat(part.getItemDeltas().size() + part.getFeatureWeightDeltas().size()).isPositive();
      items.addAll(part.getItemDeltas());
      weights.addAll(part.getFeatureWeightDeltas());
      meanDelta += part.getGlobalMeanDelta();
    }
    assertThat(items).isEqualTo(whole.getItemDeltas());
    assertThat(weights).isEqualTo(whole.getFeatureWeightDeltas());
    assertThat(meanDelta).isEqualTo(0.125);
  }

  @Test
  void partsSurviveTheirOwnEncoding() {
    List<GradientCheckpoint> parts = CheckpointParts.split(large(), OutputFormat.AVRO, 20_000);

    GradientCheckpoint last = CODEC.decode(CODEC.encode(parts.get(parts.size() - 1)));

    assertThat(last).isEqualTo(parts.get(parts.size() - 1));
    assertThat(last.getPart()).isEqualTo(parts.size() - 1);
  }

  @Test
  void aSingleDeltaLargerThanARecordIsRefusedWithTheSetting() {
    assertThatThrownBy(() -> CheckpointParts.split(large(), OutputFormat.JSON, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 8")
        .hasMessageContaining("personalize.output.max-record-bytes");
  }
}
