package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.graph.GraphDelta;
import io.personalize.graph.GraphReplicaSnapshot;
import io.personalize.graph.ItemEdges;
import io.personalize.graph.ItemPair;
import io.personalize.graph.ItemPairs;
import io.personalize.graph.UserSequence;
import io.personalize.model.SelectorSnapshot;
import io.personalize.neighbours.NeighbourRequest;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.neighbours.UserResiduals;
import io.personalize.online.CountsSnapshot;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.LastStep;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.ReplicaSnapshot;
import io.personalize.online.ScoreboardSnapshot;
import io.personalize.online.UserState;
import io.personalize.rank.PopularitySnapshot;
import io.personalize.recommend.SeenItems;
import io.personalize.state.PersonalModelView;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import io.personalize.validation.PartitionOffsets;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type kept in state or sent between operators is a Flink POJO or Avro, never Kryo; and every
 * state descriptor and side output of {@link Descriptors} has its type listed here.
 */
class StateTypesTest {
  /** State and channel types that are POJOs. */
  static final List<Class<?>> POJOS =
      List.of(
          UserState.class,
          LastStep.class,
          UserProfile.class,
          PersonalModelView.class,
          GlobalModelSnapshot.class,
          ReplicaSnapshot.class,
          SelectorSnapshot.class,
          CountsSnapshot.class,
          ScoreboardSnapshot.class,
          ModelDelta.class,
          PartitionOffsets.class,
          ValidEvent.class,
          Control.class,
          Prediction.class,
          RawRecord.class,
          UserSequence.class,
          SeenItems.class,
          NegativeSamplerState.class,
          ItemEdges.class,
          ItemEdgesChange.class,
          ItemPair.class,
          ItemPairs.class,
          GraphDelta.class,
          GraphReplicaSnapshot.class,
          PopularitySnapshot.class,
          RecommendationView.class,
          UserResiduals.class,
          PackedPartners.class,
          NeighbourRequest.class,
          PartnerUpdates.class);

  /** State and channel types that are Avro records. */
  static final List<Class<?>> AVRO =
      List.of(
          GroupBoundaries.class,
          GradientCheckpoint.class,
          ItemMetadata.class,
          MetricSnapshot.class,
          RecommendationList.class,
          DeadLetter.class);

  /** State types that are Flink's basic types (a processing time, a count). */
  static final List<Class<?>> BASIC = List.of(Long.class, Integer.class);

  static Stream<Class<?>> pojos() {
    return POJOS.stream();
  }

  static Stream<Class<?>> avro() {
    return AVRO.stream();
  }

  @ParameterizedTest
  @MethodSource("pojos")
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

  @Test
  void basicTypesUseFlinksBasicSerializers() {
    for (Class<?> type : BASIC) {
      assertThat(TypeInformation.of(type))
          .as(type.getSimpleName())
          .isInstanceOf(BasicTypeInfo.class);
    }
  }

  @ParameterizedTest
  @MethodSource("avro")
  void avroRecordsUseAvroSerialization(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(AvroTypeInfo.class);
  }

  /**
   * The value types of every state descriptor and side output that {@link Descriptors} declares.
   */
  private static List<Class<?>> declaredTypes() throws Exception {
    List<Class<?>> types = new ArrayList<>();
    for (Method method : Descriptors.class.getDeclaredMethods()) {
      if (Modifier.isStatic(method.getModifiers())
          && Modifier.isPublic(method.getModifiers())
          && StateDescriptor.class.isAssignableFrom(method.getReturnType())) {
        ParameterizedType returned = (ParameterizedType) method.getGenericReturnType();
        types.add((Class<?>) returned.getActualTypeArguments()[0]);
      }
    }
    for (Field field : Descriptors.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && OutputTag.class.isAssignableFrom(field.getType())) {
        types.add(((OutputTag<?>) field.get(null)).getTypeInfo().getTypeClass());
      }
    }
    return types;
  }

  @Test
  void everyStateAndSideOutputTypeIsListed() throws Exception {
    List<Class<?>> declared = declaredTypes();
    assertThat(declared)
        .as("state and side-output types of Descriptors")
        .contains(UserState.class, PartitionOffsets.class, ModelDelta.class, DeadLetter.class);
    List<Class<?>> listed = new ArrayList<>(POJOS);
    listed.addAll(AVRO);
    listed.addAll(BASIC);
    assertThat(listed).containsAll(declared);
  }

  @Test
  void noStateDescriptorFallsBackToKryo() throws Exception {
    for (Method method : Descriptors.class.getDeclaredMethods()) {
      if (!Modifier.isStatic(method.getModifiers())
          || !StateDescriptor.class.isAssignableFrom(method.getReturnType())) {
        continue;
      }
      StateDescriptor<?, ?> descriptor = (StateDescriptor<?, ?>) method.invoke(null);
      descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
      TypeSerializer<?> serializer =
          descriptor instanceof ListStateDescriptor<?> list
              ? list.getElementSerializer()
              : descriptor.getSerializer();
      assertThat(serializer).as(descriptor.getName()).isNotInstanceOf(KryoSerializer.class);
    }
  }
}
