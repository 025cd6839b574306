package io.personalize.model;

/**
 * The ways of personalizing that the engine runs and measures side by side. Each mode's {@link
 * #label} is its one name everywhere: in the evaluator's summary, in the job's predictions and
 * metrics topic, and on the command line.
 */
public enum Mode {
  /** One model for all users. */
  GLOBAL("global"),
  /** Each user alone, from the untrained model, with no global data. */
  LOCAL("local"),
  /** Personal blocks pulled toward the user's global row (multi-task learning). */
  MTL("mtl"),
  /**
   * The engine's adaptive form: fresh shared parameters, personal block from the global model,
   * per-group settings learned from data.
   */
  ADAPTIVE("adaptive"),
  /** The paper's literal batch form, less data borrows more global epochs. */
  ADAPTIVE_PAPER("adaptive-paper"),
  /** The paper's literal batch form as Algorithm 3.1 is transcribed: more data borrows more. */
  ADAPTIVE_PAPER_REVERSE("adaptive-paper-reverse");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The literal form needs epochs of batch training, so it exists only in batch protocols. */
  public boolean needsEpochs() {
    return this == ADAPTIVE_PAPER || this == ADAPTIVE_PAPER_REVERSE;
  }

  /** The modes a stream (the job, the prequential protocol) runs, in report order. */
  public static final java.util.List<Mode> STREAM = java.util.List.of(GLOBAL, LOCAL, MTL, ADAPTIVE);

  /** The mode of a label such as "adaptive-paper" (or a constant name, any case). */
  public static Mode parse(String text) {
    for (Mode mode : values()) {
      if (mode.label.equalsIgnoreCase(text) || mode.name().equalsIgnoreCase(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '"
            + text
            + "': expected one of "
            + java.util.Arrays.stream(values()).map(Mode::label).toList());
  }
}
