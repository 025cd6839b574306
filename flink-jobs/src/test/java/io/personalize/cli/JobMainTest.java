package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The job jar's entry point, as `flink run` and Flink's REST API call it. */
class JobMainTest {
  /**
   * Regression: a submission with a bad flag failed with the whole stack trace in its message, so
   * {@code bin/cluster submit} and the REST API's answer carried it (several KB) instead of the
   * reason.
   */
  @Test
  void aRefusedSubmissionSaysWhyInOneLine() {
    assertThatThrownBy(() -> JobMain.main(new String[] {"--model-factors", "abc"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the job was not submitted (exit code 2): personalize.model.factors: Could not parse"
                + " value 'abc' for key 'personalize.model.factors'.");
  }
}
