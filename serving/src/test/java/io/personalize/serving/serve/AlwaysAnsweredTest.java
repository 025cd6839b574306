package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request whose work fails on one of the server's own threads is answered: seen by hand, a {@code
 * NoClassDefFoundError} in {@code POST /events} (its jar rebuilt under the running server) left
 * curl waiting with no answer, since the handler caught only runtime exceptions.
 */
class AlwaysAnsweredTest {
  private final List<Integer> statuses = new ArrayList<>();
  private final List<Map<String, Object>> bodies = new ArrayList<>();

  @Test
  void anErrorIsAnsweredWithA500() {
    AlwaysAnswered.of(
            "take events",
            this::reply,
            () -> {
              throw new NoClassDefFoundError("io/personalize/serving/serve/ClientRateLimit$Bucket");
            })
        .run();

    assertThat(statuses).containsExactly(500);
    assertThat(bodies.get(0).get("error").toString())
        .contains("internal error: java.lang.NoClassDefFoundError");
  }

  @Test
  void aRuntimeExceptionIsAnsweredWithA500() {
    AlwaysAnswered.of(
            "look up user 1",
            this::reply,
            () -> {
              throw new IllegalStateException("no proxy");
            })
        .run();

    assertThat(statuses).containsExactly(500);
  }

  @Test
  void outOfMemoryIsAnsweredAndThrownOn() {
    Runnable work =
        AlwaysAnswered.of(
            "take events",
            this::reply,
            () -> {
              throw new OutOfMemoryError("Java heap space");
            });

    assertThatThrownBy(work::run).isInstanceOf(OutOfMemoryError.class);
    assertThat(statuses).containsExactly(500);
  }

  @Test
  void workThatAnswersItselfIsLeftAlone() {
    AlwaysAnswered.of("look up user 1", this::reply, () -> reply(200, Map.of())).run();

    assertThat(statuses).containsExactly(200);
  }

  private void reply(int status, Map<String, Object> body) {
    statuses.add(status);
    bodies.add(body);
  }
}
