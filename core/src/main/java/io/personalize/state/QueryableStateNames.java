package io.personalize.state;

/**
 * Names under which the job publishes queryable state, shared by the job and the lookup client.
 * Never rename one once shipped, nor reuse a retired one for another type: clients look state up by
 * these names. Retired: {@code user-profile} and {@code personal-model} (a {@code UserProfile} and
 * a {@code PersonalModelView} written beside the user's state at every event), since 2026-12-05
 * derived by the client from {@link #USER_STATE} ({@code io.personalize.online.UserViews}).
 */
public final class QueryableStateNames {
  private QueryableStateNames() {}

  /**
   * The per-user operator's state of a user ({@code io.personalize.online.UserState}), from which
   * the profile and the personal model are derived.
   */
  public static final String USER_STATE = "user-state";

  public static final String RECOMMENDATIONS = "recommendations";

  /** The job's name, which a client uses to find the running job's id. */
  public static final String JOB_NAME = "personalize";
}
