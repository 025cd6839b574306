package io.personalize.connectors.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits session data that comes without a split of its own (DIGINETICA) into the training and the
 * test part of the session protocol, which learns from whole training sessions and then predicts
 * each test session's next event from the session so far.
 */
public final class SessionSplits {
  /** The test days the session-rec framework and SR-GNN use for DIGINETICA: the last week. */
  public static final int DIGINETICA_TEST_DAYS = 7;

  private static final long DAY_MILLIS = 86_400_000L;

  private SessionSplits() {}

  /**
   * The split of the session-rec framework ({@code split_data}): a session whose last event is
   * later than {@code days} × 24 h before the data set's latest event is a test session, every
   * other a training session. The test part then loses its events on items the training part never
   * shows (no recommender can rank those), and after that the test sessions left with fewer than 2
   * events (nothing to predict from). The yoochoose files come split this way, with the last day as
   * test part.
   *
   * @param data a data set whose every interaction has a session and which has no split of its own
   * @param days how many of the last days the test sessions end in; at least 1
   * @return the same data set with the training sessions' events first, then the test sessions'
   *     remaining events, each in {@code data}'s order, and {@link Dataset#testStart()} between
   * @throws IllegalArgumentException when an interaction has no session, the data set is already
   *     split, or {@code days} is less than 1
   */
  public static Dataset lastDays(Dataset data, int days) {
    if (days < 1) {
      throw new IllegalArgumentException("the test part needs at least 1 day, got " + days);
    }
    if (data.testStart() < data.interactions().size()) {
      throw new IllegalArgumentException(
          "data set '" + data.name() + "' comes with its own split into training and test");
    }
    Map<String, Long> sessionEnd = new HashMap<>();
    long latest = Long.MIN_VALUE;
    for (Interaction event : data.interactions()) {
      if (event.sessionId() == null) {
        throw new IllegalArgumentException(
            "data set '" + data.name() + "' has events without a session, such as " + event);
      }
      sessionEnd.merge(event.sessionId(), event.timeMillis(), Math::max);
      latest = Math.max(latest, event.timeMillis());
    }
    long testAfter = latest - days * DAY_MILLIS;

    List<Interaction> training = new ArrayList<>();
    List<Interaction> test = new ArrayList<>();
    Set<String> trainingItems = new HashSet<>();
    for (Interaction event : data.interactions()) {
      if (sessionEnd.get(event.sessionId()) > testAfter) {
        test.add(event);
      } else {
        training.add(event);
        trainingItems.add(event.itemId());
      }
    }
    test.removeIf(event -> !trainingItems.contains(event.itemId()));
    Map<String, Integer> testLength = new HashMap<>();
    test.forEach(event -> testLength.merge(event.sessionId(), 1, Integer::sum));
    test.removeIf(event -> testLength.get(event.sessionId()) < 2);

    List<Interaction> split = new ArrayList<>(training.size() + test.size());
    split.addAll(training);
    split.addAll(test);
    return new Dataset(
        data.name(), data.layout(), split, data.items(), data.scale(), training.size());
  }
}
