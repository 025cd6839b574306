package io.personalize.online;

import io.personalize.recommend.SeenItems;

/**
 * One user's state in the per-user operator and, as the ranking model's, in the recommendation
 * operator (keyed state in RocksDB). Personal blocks are flattened as [b_u, q_u (k values), w_u] in
 * floats ({@link StoredBlocks}); the global row as [b_u, q_u] in floats too. Bounded: a fixed
 * number of blocks of at most 1 + k + F values, plus (the ranking model's only) a recent-items
 * buffer capped at {@code users.recent-items}.
 *
 * <p>Blocks are stored as floats because they halve the state a user costs and buy nothing in
 * doubles: the steps compute in doubles and round once per event (docs/method.md). The global row
 * copy was kept in doubles until 2026-12-05, to mirror the evaluator's global row bit for bit; in
 * floats it follows that row to float rounding (a relative 1e-7 per step), and a user costs 132
 * bytes less.
 */
public class UserState {
  public String userId;
  public long events;
  public long lastEventTimeMillis;

  /** One personal block per adaptive candidate setting (or one, outside the sampled share). */
  public float[][] adaptiveBlocks = new float[0][];

  /**
   * The user's row of the global model [b_u, q_u] in floats, stepped here on the replica as the
   * global trainer steps its own row: the adaptive mode's global-row candidate and the anchor of
   * mtl (empty when neither runs).
   */
  public float[] userRow = new float[0];

  /** Shadow local mode: the user alone, against an untrained shared block. */
  public float[] localBlock = new float[0];

  /** Shadow multi-task mode: pulled toward the global row. */
  public float[] mtlBlock = new float[0];

  /**
   * The user's latest items, oldest first, for candidate generation (capped): kept in the ranking
   * model's state, empty in the rating model's.
   */
  public String[] recentItems = new String[0];

  /**
   * The user's seen items (what lists leave out), kept in the ranking model's state, read and
   * written with it; null in the rating model's. Null too in ranking state written before
   * 2026-12-05, which kept them in a state of their own until the user's next event.
   */
  public SeenItems seen;

  /**
   * What the latest step was made with, from which the queryable views are derived ({@link
   * UserViews}); null in the ranking model's state, which has no views.
   */
  public LastStep lastStep;

  /**
   * The adaptive blocks in doubles, as state written before the float blocks (the stored savepoint
   * v1) holds them; null otherwise. {@link #upgrade} moves them into {@link #adaptiveBlocks}.
   */
  public double[][] adaptive;

  /** The local block in doubles, in state written before the float blocks; null otherwise. */
  public double[] local;

  /** The mtl block in doubles, in state written before the float blocks; null otherwise. */
  public double[] mtl;

  /**
   * The global row in doubles, in state written before 2026-12-05 (stored savepoints v1 and v2);
   * null otherwise. {@link #upgrade} moves it into {@link #userRow}.
   */
  public double[] globalRow;

  public UserState() {}

  /**
   * Moves blocks restored in doubles (state written before the float blocks) into the float fields
   * and drops the doubles; does nothing to state written since.
   */
  public void upgrade() {
    if (adaptive != null) {
      adaptiveBlocks = new float[adaptive.length][];
      for (int c = 0; c < adaptive.length; c++) {
        adaptiveBlocks[c] = toFloats(adaptive[c]);
      }
      adaptive = null;
    }
    if (local != null) {
      localBlock = toFloats(local);
      local = null;
    }
    if (mtl != null) {
      mtlBlock = toFloats(mtl);
      mtl = null;
    }
    if (globalRow != null) {
      userRow = toFloats(globalRow);
      globalRow = null;
    }
  }

  private static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** Appends {@code itemId} to the recent items, dropping the oldest beyond {@code cap}. */
  public void rememberItem(String itemId, int cap) {
    if (cap == 0) {
      return;
    }
    String[] next =
        recentItems.length < cap
            ? java.util.Arrays.copyOf(recentItems, recentItems.length + 1)
            : java.util.Arrays.copyOfRange(
                recentItems, recentItems.length - cap + 1, recentItems.length + 1);
    next[next.length - 1] = itemId;
    recentItems = next;
  }
}
