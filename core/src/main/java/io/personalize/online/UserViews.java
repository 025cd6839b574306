package io.personalize.online;

import io.personalize.model.PersonalParameters;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;

/**
 * The queryable views of a user, read from the user's {@link UserState} as the job keeps it: the
 * profile and the personal model the user's group predicts with. The job writes one state per event
 * and a lookup client derives both views from it, instead of the job writing two more states (about
 * 900 bytes more per user) at every event.
 */
public final class UserViews {
  private UserViews() {}

  /**
   * The user's profile. A user whose state was written before the views were derived ({@link
   * UserState#lastStep} null, until the user's next event) has group, versions and candidate 0.
   */
  public static UserProfile profile(UserState state) {
    UserProfile profile = new UserProfile();
    profile.userId = state.userId;
    profile.events = state.events;
    profile.lastEventTimeMillis = state.lastEventTimeMillis;
    LastStep step = state.lastStep;
    if (step != null) {
      profile.group = step.group;
      profile.boundariesVersion = step.boundariesVersion;
      profile.checkpointVersion = step.checkpointVersion;
      profile.candidate = step.candidate;
    }
    return profile;
  }

  /**
   * The personal block the user's group predicts with (the global-row candidate: the row alone,
   * zero personal feature weights), or null for state written before the views were derived, until
   * the user's next event.
   */
  public static PersonalModelView model(UserState state) {
    LastStep step = state.lastStep;
    if (step == null) {
      return null;
    }
    state.upgrade();
    PersonalParameters block = new PersonalParameters(step.factors, step.featureDimension);
    if (step.block == LastStep.GLOBAL_ROW) {
      UserModels.readRow(state.userRow, block);
    } else {
      StoredBlocks.load(state.adaptiveBlocks[step.block], block);
    }
    PersonalModelView view = new PersonalModelView();
    view.userId = state.userId;
    view.modelKind = step.modelKind;
    view.checkpointVersion = step.checkpointVersion;
    view.bias = block.bias;
    view.factors = block.factors;
    view.featureWeights = block.featureWeights;
    return view;
  }
}
