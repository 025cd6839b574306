package io.personalize.state;

/**
 * Names under which the job publishes queryable state, shared by the job and the lookup client.
 * Never rename one once shipped: clients look state up by these names.
 */
public final class QueryableStateNames {
  private QueryableStateNames() {}

  public static final String USER_PROFILE = "user-profile";
  public static final String PERSONAL_MODEL = "personal-model";
  public static final String RECOMMENDATIONS = "recommendations";

  /** The job's name, which a client uses to find the running job's id. */
  public static final String JOB_NAME = "personalize";
}
