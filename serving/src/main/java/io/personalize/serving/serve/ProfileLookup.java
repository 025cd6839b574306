package io.personalize.serving.serve;

import io.personalize.online.UserState;
import io.personalize.online.UserViews;
import io.personalize.serving.query.Endpoints;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.query.StateLookupException;
import io.personalize.state.PersonalModelView;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobID;

/**
 * A user's profile, personal model and current list from the running job's queryable state: the job
 * is found through the Flink REST API (and remembered until a lookup fails), and read through the
 * queryable state proxy. When the job is not running or does not answer in time, the lookup says
 * why instead: the lists keep being served from the topic, but a profile lives only in the job.
 */
final class ProfileLookup implements AutoCloseable {
  /** What a lookup found: the state (possibly none for this user), or why there is no answer. */
  record Result(
      boolean available,
      String reason,
      String job,
      Optional<UserProfile> profile,
      Optional<PersonalModelView> model,
      Optional<RecommendationView> list) {

    /** True when the job holds any state for the user. */
    boolean known() {
      return profile.isPresent() || model.isPresent() || list.isPresent();
    }
  }

  private final Endpoints endpoints;
  private final Duration timeout;
  private volatile JobID job;
  private volatile StateLookup lookup;

  ProfileLookup(Endpoints endpoints, Duration timeout) {
    this.endpoints = endpoints;
    this.timeout = timeout;
  }

  Result find(String userId) {
    try {
      JobID id = job();
      StateLookup state = lookup();
      Optional<UserState> user = state.userState(id, userId);
      Optional<UserProfile> profile = user.map(UserViews::profile);
      Optional<PersonalModelView> model = user.map(UserViews::model);
      return new Result(true, null, id.toHexString(), profile, model, list(state, id, userId));
    } catch (StateLookupException | IllegalArgumentException e) {
      job = null; // the job may have been restarted with a new id: find it again next time
      return new Result(
          false, e.getMessage(), null, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * The user's list as the job holds it (fresher than the topic's by up to the publish interval);
   * empty when the job runs without recommendations, which registers no such state.
   */
  private static Optional<RecommendationView> list(StateLookup state, JobID id, String userId) {
    try {
      return state.recommendations(id, userId);
    } catch (StateLookupException e) {
      return Optional.empty();
    }
  }

  private JobID job() {
    JobID id = job;
    if (id == null) {
      id =
          StateLookup.findRunningJob(
              endpoints.restHost(), endpoints.restPort(), QueryableStateNames.JOB_NAME);
      job = id;
    }
    return id;
  }

  private synchronized StateLookup lookup() {
    if (lookup == null) {
      lookup = new StateLookup(endpoints.proxyHost(), endpoints.proxyPort(), timeout);
    }
    return lookup;
  }

  /** The answer of GET /users/{id} when the job answered. */
  static Map<String, Object> answer(String userId, Result result) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("user", userId);
    answer.put("job", result.job());
    answer.put("known", result.known());
    answer.put("profile", result.profile().orElse(null));
    answer.put("model", result.model().orElse(null));
    answer.put("list", result.list().orElse(null));
    return answer;
  }

  @Override
  public synchronized void close() {
    if (lookup != null) {
      lookup.close();
    }
  }
}
