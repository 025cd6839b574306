package io.personalize.online;

/**
 * One prequential prediction, made for an event before any model learned it: a rating predicted by
 * {@code mode}, or (when {@code k > 0}) the check of the user's current list of k recommendations
 * made by the recommender {@code mode}, with the event item's rank in it. The metrics operator
 * turns these into per-group RMSE and MAE, or hit rate and MRR.
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

  /** The length of the list checked; 0 for a rating prediction. */
  public int k;

  /** For a list check: the 1-based position of the event's item in the list, 0 if absent. */
  public int rank;

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

  /** The check of a user's current list against the item of the user's next event. */
  public static Prediction listCheck(
      String recommender,
      String userId,
      long userEvents,
      int group,
      int k,
      int rank,
      long eventTimeMillis,
      long checkpointVersion) {
    Prediction p =
        new Prediction(
            recommender, userId, userEvents, group, 0, 0, eventTimeMillis, checkpointVersion);
    p.k = k;
    p.rank = rank;
    return p;
  }

  @Override
  public String toString() {
    if (k > 0) {
      return mode + " " + userId + " g" + group + " rank " + rank + " of " + k;
    }
    return mode + " " + userId + " g" + group + " " + prediction + " vs " + label;
  }
}
