package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsTest {
  @Test
  void pathSegmentsArePercentDecodedAsUtf8() throws Exception {
    assertThat(Requests.segments("/users/a%2Fb%20c%C3%A9/recommendations"))
        .containsExactly("users", "a/b cé", "recommendations");
    assertThat(Requests.segments("/")).containsExactly("");
    assertThat(Requests.segments("/users//x")).containsExactly("users", "", "x");
    // '+' is not a space outside form data.
    assertThat(Requests.segments("/a+b")).containsExactly("a+b");
  }

  @Test
  void brokenEscapesAndNonUtf8AreBadRequests() {
    for (String path :
        List.of("/users/%", "/users/%4", "/users/%G1", "/users/%E2%82", "/users/%FF")) {
      assertThatThrownBy(() -> Requests.segments(path))
          .as(path)
          .isInstanceOf(Requests.BadRequest.class);
    }
  }

  @Test
  void userIdsFollowTheEventsRules() throws Exception {
    assertThat(Requests.userId("42")).isEqualTo("42");
    for (String id : List.of("", " 42", "42 ", "4\t2", "\u0000", "x".repeat(257))) {
      assertThatThrownBy(() -> Requests.userId(id))
          .as("'%s'", id)
          .isInstanceOf(Requests.BadRequest.class)
          .hasMessageStartingWith("malformed user id: ");
    }
    assertThat(Requests.userId("x".repeat(256))).hasSize(256);
  }

  @Test
  void kIsAWholeNumberInRangeAndDefaultsWhenAbsent() throws Exception {
    assertThat(Requests.k(Map.of(), 10, 100)).isEqualTo(10);
    assertThat(Requests.k(Map.of("k", "1"), 10, 100)).isEqualTo(1);
    assertThat(Requests.k(Map.of("k", "100"), 10, 100)).isEqualTo(100);
    for (String k : List.of("0", "101", "-1", "", " ", "1.5", "abc", "99999999999", " 5")) {
      assertThatThrownBy(() -> Requests.k(Map.of("k", k), 10, 100))
          .as("k='%s'", k)
          .isInstanceOf(Requests.BadRequest.class)
          .hasMessageContaining("1..100");
    }
  }

  @Test
  void queryParametersAreDecodedAndARepeatedOneIsABadRequest() throws Exception {
    assertThat(Requests.query("k=5&x=a%20b&flag"))
        .containsExactly(Map.entry("k", "5"), Map.entry("x", "a b"), Map.entry("flag", ""));
    assertThat(Requests.query(null)).isEmpty();
    assertThatThrownBy(() -> Requests.query("k=1&k=2"))
        .isInstanceOf(Requests.BadRequest.class)
        .hasMessageContaining("more than once");
  }

  @Test
  void aLongValueIsCutInMessages() {
    assertThat(Requests.shorten("x".repeat(100))).hasSize(43).endsWith("...");
    assertThat(Requests.shorten("short")).isEqualTo("short");
  }
}
