package io.personalize.neighbours;

/**
 * The item-neighbourhood correction with every item and user in one place, for a single pass over a
 * stream (the evaluator): each rating is corrected with what was learned before it, then learned.
 *
 * <p>Learning a rating of item i by user u ({@link UserResiduals#learn}): the baseline residual r =
 * rating - (mean + b_i) - b_u, where mean + b_i is the global model's and b_u the user's own, pairs
 * with that of each item j in u's history, as a common rater of i and j on both items' sides; then
 * u remembers (i, r, the model's residual), and b_u takes the rating.
 */
public final class NeighbourModel {
  private final NeighbourCorrection correction;
  private final NeighbourSettings settings;
  private ItemPartners[] items = new ItemPartners[0];
  private UserResiduals[] users = new UserResiduals[0];

  public NeighbourModel(NeighbourSettings settings) {
    this.settings = settings;
    this.correction = new NeighbourCorrection(settings);
  }

  /** What to add to the model's prediction of {@code user}'s rating of {@code item}. */
  public double correction(int user, int item) {
    return correction.of(user(user), item, item(item));
  }

  /**
   * Learns that {@code user} rated {@code item} {@code rating}, where the model predicted {@code
   * prediction} and the global model's mean plus the item's bias is {@code itemBaseline}.
   */
  public void learn(int user, int item, double rating, double prediction, double itemBaseline) {
    ItemPartners rated = item(item);
    int capacity = settings.partners();
    user(user)
        .learn(
            item,
            rating,
            prediction,
            itemBaseline,
            settings.history(),
            (partner, partnerResidual, residual) -> {
              rated.add(partner, residual, partnerResidual, capacity);
              item(partner).add(item, partnerResidual, residual, capacity);
            });
  }

  /** Item {@code item}'s partner sums (for tests). */
  ItemPartners partnersOf(int item) {
    return item(item);
  }

  private ItemPartners item(int item) {
    if (item >= items.length) {
      items = java.util.Arrays.copyOf(items, Math.max(item + 1, items.length * 2));
    }
    if (items[item] == null) {
      items[item] = new ItemPartners();
    }
    return items[item];
  }

  private UserResiduals user(int user) {
    if (user >= users.length) {
      users = java.util.Arrays.copyOf(users, Math.max(user + 1, users.length * 2));
    }
    if (users[user] == null) {
      users[user] = new UserResiduals();
    }
    return users[user];
  }
}
