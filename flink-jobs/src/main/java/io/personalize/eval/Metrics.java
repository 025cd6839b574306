package io.personalize.eval;

/**
 * The metrics of one mode over one set of users (a group, or everyone). A metric the protocol or
 * target does not produce is null.
 */
public record Metrics(
    int group,
    long users,
    long events,
    Double rmse,
    Double mae,
    Double logloss,
    Double auc,
    Double userAuc,
    Double map,
    Double mrr,
    Double ndcg) {}
