package io.personalize.job;

/**
 * What the rating models learn: RATING events. Clicks, views and purchases are valid input but
 * carry no rating, so a squared-loss model cannot learn them; they are counted
 * ("events-not-learned"), never silently dropped.
 */
final class Learnable {
  private Learnable() {}

  static boolean isRating(ValidEvent event) {
    return "RATING".equals(event.eventType);
  }
}
