package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.GroupBoundaries;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.model.SelectorSnapshot;
import io.personalize.online.CountsSnapshot;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.ReplicaSnapshot;
import io.personalize.online.ScoreboardSnapshot;
import io.personalize.online.UserState;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type kept in state or sent between operators is a Flink POJO or Avro, never Kryo. */
class StateTypesTest {
  @ParameterizedTest
  @ValueSource(
      classes = {
        UserState.class,
        UserProfile.class,
        PersonalModelView.class,
        GlobalModelSnapshot.class,
        ReplicaSnapshot.class,
        SelectorSnapshot.class,
        CountsSnapshot.class,
        ScoreboardSnapshot.class,
        ModelDelta.class,
        io.personalize.validation.PartitionOffsets.class,
        ValidEvent.class,
        Control.class,
        Prediction.class,
        RawRecord.class
      })
  void isAPojo(Class<?> type) {
    TypeInformation<?> info = TypeInformation.of(type);
    assertThat(info).isInstanceOf(PojoTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);
    PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
    for (int f = 0; f < pojo.getArity(); f++) {
      assertThat(pojo.getPojoFieldAt(f).getTypeInformation())
          .as("%s.%s", type.getSimpleName(), pojo.getPojoFieldAt(f).getField().getName())
          .isNotInstanceOf(GenericTypeInfo.class);
    }
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        GroupBoundaries.class,
        io.personalize.avro.GradientCheckpoint.class,
        io.personalize.avro.ItemMetadata.class
      })
  void avroRecordsUseAvroSerialization(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(AvroTypeInfo.class);
  }
}
