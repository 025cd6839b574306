package io.personalize.online;

/**
 * One user's state in the per-user operator (keyed state in RocksDB). Blocks are flattened as [b_u,
 * q_u (k values), w_u (F values)]; the shadow global row as [b_u, q_u]. Bounded: a fixed number of
 * blocks of fixed size plus a recent-items buffer capped at {@code recentCap}.
 */
public class UserState {
  public String userId;
  public long events;
  public long lastEventTimeMillis;

  /** One personal block per adaptive candidate setting. */
  public double[][] adaptive = new double[0][];

  /**
   * The user's row of the global model, stepped here on the replica: the anchor of mtl (only when
   * mtl runs).
   */
  public double[] globalRow = new double[0];

  /** Shadow local mode: the user alone, against an untrained shared block. */
  public double[] local = new double[0];

  /** Shadow multi-task mode: pulled toward the global row. */
  public double[] mtl = new double[0];

  /** The user's latest items, oldest first, for candidate generation (capped). */
  public String[] recentItems = new String[0];

  public UserState() {}

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
