package io.personalize.online;

/**
 * One prequential prediction: made by {@code mode} for an event before any mode learned it. The
 * metrics operator turns these into per-group RMSE and MAE.
 */
public class Prediction {
  public String mode;
  public String userId;

  /** The user's events including this one, so the metrics know the user's current count. */
  public long userEvents;

  /** The user's group when the event was scored. */
  public int group;

  /** Clamped to the rating scale. */
  public double prediction;

  public double label;
  public long eventTimeMillis;
  public long checkpointVersion;

  public Prediction() {}

  public Prediction(
      String mode,
      String userId,
      long userEvents,
      int group,
      double prediction,
      double label,
      long eventTimeMillis,
      long checkpointVersion) {
    this.mode = mode;
    this.userId = userId;
    this.userEvents = userEvents;
    this.group = group;
    this.prediction = prediction;
    this.label = label;
    this.eventTimeMillis = eventTimeMillis;
    this.checkpointVersion = checkpointVersion;
  }

  @Override
  public String toString() {
    return mode + " " + userId + " g" + group + " " + prediction + " vs " + label;
  }
}
