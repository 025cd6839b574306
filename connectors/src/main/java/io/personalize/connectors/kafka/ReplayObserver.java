package io.personalize.connectors.kafka;

import io.personalize.connectors.data.Interaction;

/**
 * Told of each replayed event once the broker has acknowledged it (see {@link
 * InteractionProducer#sendInteractions(io.personalize.connectors.data.Dataset, String, double,
 * long, InteractionProducer.ProgressListener, ReplayObserver)}). Called on the producer's I/O
 * thread, in the order of the events within a partition (so a user's events in their order): it
 * must return quickly.
 */
@FunctionalInterface
public interface ReplayObserver {
  /**
   * @param event the event the broker acknowledged
   * @param ackTimeMillis the wall-clock time of the acknowledgement
   */
  void acknowledged(Interaction event, long ackTimeMillis);
}
