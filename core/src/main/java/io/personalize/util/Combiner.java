package io.personalize.util;

import java.util.List;

/**
 * Collects records and hands them out merged by the key they go to, so the keyed operator that
 * receives them reads and writes a key's state once for all of them.
 *
 * @param <I> the records collected
 * @param <O> the merged records handed out, one per key
 */
public interface Combiner<I, O> {
  void add(I record);

  /** Records held since the last {@link #drain}. */
  int held();

  /** The merged records, in the order their keys first came, and forgets them. */
  List<O> drain();

  /** The event time a merged record carries on: the latest of its parts. */
  long timeMillis(O merged);
}
