package io.personalize.serving.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.online.UserState;
import io.personalize.serving.query.StateLookup.Failure;
import io.personalize.state.QueryableStateNames;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.queryablestate.exceptions.UnknownKeyOrNamespaceException;
import org.apache.flink.queryablestate.exceptions.UnknownLocationException;
import org.junit.jupiter.api.Test;

/** The parts of the lookup that need no cluster; the lookups themselves: StateLookupITCase. */
class StateLookupTest {

  /** How the server's errors reach the client: as text in a RuntimeException. */
  private static RuntimeException fromServer(String cause) {
    return new RuntimeException(
        "Failed request 7." + System.lineSeparator() + " Caused by: " + cause);
  }

  @Test
  void descriptorsMirrorTheJobs() {
    ValueStateDescriptor<UserState> user = StateLookup.userStateDescriptor();
    assertThat(user.getName()).isEqualTo(QueryableStateNames.USER_STATE);

    // The serializer the job's TypeInformation.of(...) descriptor gets: POJO, never Kryo.
    ExecutionConfig config = new ExecutionConfig();
    user.initializeSerializerUnlessSet(config);
    assertThat(user.getSerializer())
        .isInstanceOf(PojoSerializer.class)
        .isEqualTo(
            TypeInformation.of(UserState.class).createSerializer(config.getSerializerConfig()));
  }

  @Test
  void anUnknownKeyAnywhereInTheChainMeansNoState() {
    assertThat(
            StateLookup.classify(
                new ExecutionException(
                    fromServer(
                        "java.util.concurrent.CompletionException: java.lang.RuntimeException:"
                            + " Failed request 3.\n Caused by:"
                            + " org.apache.flink.queryablestate.exceptions.UnknownKeyOrNamespaceException:"
                            + " Queryable State Server : No state for the specified key/namespace."))))
        .isEqualTo(Failure.MISSING_KEY);
    assertThat(
            StateLookup.classify(
                new CompletionException(new UnknownKeyOrNamespaceException("server"))))
        .isEqualTo(Failure.MISSING_KEY);
  }

  @Test
  void stateNotRegisteredYetIsRetried() {
    assertThat(
            StateLookup.classify(
                fromServer(
                    "org.apache.flink.runtime.query.UnknownKvStateLocation: No KvStateLocation"
                        + " found for KvState instance with name 'user-profile'.")))
        .isEqualTo(Failure.NOT_YET);
    assertThat(
            StateLookup.classify(
                fromServer(
                    "org.apache.flink.queryablestate.exceptions.UnknownKvStateIdException: No"
                        + " registered state with ID 42.")))
        .isEqualTo(Failure.NOT_YET);
    assertThat(
            StateLookup.classify(
                new ExecutionException(new UnknownLocationException("state is not ready"))))
        .isEqualTo(Failure.NOT_YET);
  }

  @Test
  void anythingElseIsFatal() {
    assertThat(StateLookup.classify(new ExecutionException(new ConnectException("refused"))))
        .isEqualTo(Failure.FATAL);
    assertThat(StateLookup.classify(fromServer("java.io.EOFException: bad bytes")))
        .isEqualTo(Failure.FATAL);
  }

  @Test
  void theReasonIsOneShortLine() {
    assertThat(
            StateLookup.reason(
                new ExecutionException(
                    fromServer(
                        "org.apache.flink.runtime.query.UnknownKvStateLocation: No KvStateLocation"
                            + " found for KvState instance with name 'user-profile'.\n"
                            + "\tat org.apache.flink.runtime.Foo.bar(Foo.java:1)"))))
        .isEqualTo(
            "UnknownKvStateLocation: No KvStateLocation found for KvState instance with name"
                + " 'user-profile'.");
    assertThat(StateLookup.reason(new ExecutionException(new ConnectException("refused"))))
        .isEqualTo("ConnectException: refused");
  }

  @Test
  void findsTheSingleRunningJobByName() {
    String overview =
        """
        {"jobs":[
          {"jid":"0123456789abcdef0123456789abcdef","name":"personalize","state":"CANCELED"},
          {"jid":"fedcba9876543210fedcba9876543210","name":"personalize","state":"RUNNING"},
          {"jid":"00000000000000000000000000000001","name":"other","state":"RUNNING"}
        ]}
        """;
    assertThat(StateLookup.runningJob(overview, "personalize"))
        .isEqualTo(JobID.fromHexString("fedcba9876543210fedcba9876543210"));
  }

  @Test
  void noOrSeveralRunningJobsAreErrors() {
    assertThatThrownBy(
            () ->
                StateLookup.runningJob(
                    """
                    {"jobs":[{"jid":"0123456789abcdef0123456789abcdef","name":"personalize",
                    "state":"FAILED"}]}""",
                    "personalize"))
        .isInstanceOf(StateLookupException.class)
        .hasMessage(
            "no RUNNING job named 'personalize' (seen: 0123456789abcdef0123456789abcdef FAILED)");
    assertThatThrownBy(() -> StateLookup.runningJob("{\"jobs\":[]}", "personalize"))
        .hasMessage("no RUNNING job named 'personalize'");
    assertThatThrownBy(
            () ->
                StateLookup.runningJob(
                    """
                    {"jobs":[
                      {"jid":"0123456789abcdef0123456789abcdef","name":"personalize","state":"RUNNING"},
                      {"jid":"fedcba9876543210fedcba9876543210","name":"personalize","state":"RUNNING"}
                    ]}""",
                    "personalize"))
        .hasMessageStartingWith("2 RUNNING jobs named 'personalize'")
        .hasMessageEndingWith("pass the job id");
    assertThatThrownBy(() -> StateLookup.runningJob("{\"errors\":[\"x\"]}", "personalize"))
        .hasMessageContaining("no 'jobs' array");
    assertThatThrownBy(() -> StateLookup.runningJob("<html>", "personalize"))
        .hasMessageStartingWith("unreadable answer from /jobs/overview");
  }
}
