package io.personalize.eval;

import java.util.Arrays;

/**
 * The predictions one mode made on scored events: which event, and the prediction. Metrics are
 * computed from it at the end, per group and overall.
 */
final class PredictionLog {
  private int[] events = new int[1024];
  private double[] predictions = new double[1024];
  private int size;

  void add(int event, double prediction) {
    if (size == events.length) {
      events = Arrays.copyOf(events, size * 2);
      predictions = Arrays.copyOf(predictions, size * 2);
    }
    events[size] = event;
    predictions[size++] = prediction;
  }

  int size() {
    return size;
  }

  int event(int k) {
    return events[k];
  }

  double prediction(int k) {
    return predictions[k];
  }
}
