package io.personalize.eval;

/** The ways of personalizing that the evaluator compares on the same events. */
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

  /** The literal form needs epochs, so it exists only in the batch protocols. */
  public boolean availableIn(Protocol protocol) {
    return !protocol.isStream() || (this != ADAPTIVE_PAPER && this != ADAPTIVE_PAPER_REVERSE);
  }
}
