package io.personalize.serving.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.online.UserState;
import io.personalize.online.UserViews;
import io.personalize.serving.config.ManifestVersion;
import io.personalize.serving.config.ParameterErrors;
import io.personalize.state.PersonalModelView;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import io.personalize.validation.EventValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalize query}: a user's profile, personal model and current list of recommendations,
 * read from the running job's queryable state. Runs on a classpath without the Flink runtime
 * (bin/personalize starts it from the serving jar and {@code serving/target/client-classpath.txt}).
 *
 * <p>The job is found through the Flink REST API and read through the queryable state proxy, both
 * on 127.0.0.1 with Flink's default ports unless given: by {@code --endpoints} (the {@code
 * endpoints.json} the demo writes, which names the ports it got) or by the host and port options,
 * which take precedence over the file.
 *
 * <p>Exit codes: 0 state found, 1 no state for the user, 2 error (one line on stderr), among them a
 * malformed user id, rejected before anything is looked up.
 */
@Command(
    name = "query",
    sortOptions = false,
    versionProvider = ManifestVersion.class,
    description =
        "Prints a user's profile, personal model and list of recommendations from the running"
            + " job's queryable state.",
    footer = {
      "",
      "Exit codes: 0 found, 1 no state for the user, 2 error (a malformed --user too).",
    })
public final class QueryCommand implements Callable<Integer> {
  static final int FOUND = 0;
  static final int NO_STATE = 1;
  static final int ERROR = 2;

  /**
   * The default host: the demo and a local Flink bind 127.0.0.1, and "localhost" may resolve to ::1
   * first.
   */
  static final String DEFAULT_HOST = "127.0.0.1";

  private static final Duration RECOMMENDATIONS_DEADLINE = Duration.ofSeconds(3);

  @Spec CommandSpec spec;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "ID",
      description =
          "The user's id (as in the events: at most "
              + EventValidator.MAX_ID_LENGTH
              + " characters, no control characters, no surrounding white space).")
  String user;

  @Option(
      names = "--job",
      paramLabel = "JOBID",
      description =
          "The job's id (32 hex digits). Default: the single RUNNING job named '"
              + QueryableStateNames.JOB_NAME
              + "', found through the REST API.")
  String job;

  @Option(
      names = "--endpoints",
      paramLabel = "FILE",
      description =
          "The endpoints.json the demo writes to its --out directory: take the REST API and"
              + " proxy addresses from it. The options below override it.")
  Path endpoints;

  @Option(
      names = "--proxy-host",
      defaultValue = DEFAULT_HOST,
      description = "Queryable state proxy host (default: ${DEFAULT-VALUE}).")
  String proxyHost;

  @Option(
      names = "--proxy-port",
      defaultValue = "9069",
      description = "Queryable state proxy port (default: ${DEFAULT-VALUE}).")
  int proxyPort;

  @Option(
      names = "--rest-host",
      defaultValue = DEFAULT_HOST,
      description = "Flink REST API host, to find the job (default: ${DEFAULT-VALUE}).")
  String restHost;

  @Option(
      names = "--rest-port",
      defaultValue = "8081",
      description = "Flink REST API port (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "30",
      paramLabel = "S",
      description =
          "How long to wait for the state to be registered after the job starts"
              + " (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object instead of readable lines.")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print the version and exit.")
  boolean version;

  public static void main(String[] args) {
    // slf4j-simple (the client classpath's binding) off unless set with -D: the client logs even
    // a normal shutdown as a warning with a stack trace, and every failure is reported in one line.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
    }
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command with the given streams; returns the exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new QueryCommand());
    cli.setOut(out);
    cli.setErr(err);
    ParameterErrors.shortOnes(cli, "bin/personalize ");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          commandLine.getErr().println("query: " + message.replaceAll("\\s+", " ").trim());
          return ERROR;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    EventValidator.Rejection malformed = EventValidator.checkId("user id", user);
    if (malformed != null) {
      throw new IllegalArgumentException("malformed --user: " + malformed.detail());
    }
    if (endpoints != null) {
      applyEndpoints(Endpoints.read(endpoints));
    }
    if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException("--timeout-seconds must be positive: " + timeoutSeconds);
    }
    JobID jobId = jobId();
    Optional<UserProfile> profile;
    Optional<PersonalModelView> model;
    try (StateLookup lookup =
        new StateLookup(proxyHost, proxyPort, Duration.ofSeconds(timeoutSeconds))) {
      Optional<UserState> state = lookup.userState(jobId, user);
      profile = state.map(UserViews::profile);
      model = state.map(UserViews::model);
    }
    Optional<RecommendationView> recommendations = recommendations(jobId);
    PrintWriter out = spec.commandLine().getOut();
    // A user with clicks, views or purchases and no rating has a list and no profile: the rating
    // model learns RATING events only, the recommendations every kind.
    if (profile.isEmpty() && model.isEmpty() && recommendations.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "no state for user "
                  + user
                  + " (the job has not seen this user, or forgot them after"
                  + " users.idle-expiry)");
      return NO_STATE;
    }
    if (json) {
      out.println(
          toJson(jobId, profile.orElse(null), model.orElse(null), recommendations.orElse(null)));
    } else {
      out.println(
          "profile: "
              + profile
                  .map(Object::toString)
                  .orElse("none (the rating model keeps one from the user's first RATING event)"));
      out.println("personal model: " + model.map(Object::toString).orElse("none"));
      out.println("recommendations: " + recommendations.map(Object::toString).orElse("none"));
    }
    return FOUND;
  }

  /**
   * The user's list, once the profile lookup showed the job's state is registered: a job with
   * recommendations off never registers the list state, so this lookup gets a short deadline and
   * its absence is "none", not an error.
   */
  private Optional<RecommendationView> recommendations(JobID jobId) {
    try (StateLookup lookup = new StateLookup(proxyHost, proxyPort, RECOMMENDATIONS_DEADLINE)) {
      return lookup.recommendations(jobId, user);
    } catch (StateLookupException e) {
      return Optional.empty();
    }
  }

  /** Takes the addresses from an endpoints file, except those given as options. */
  void applyEndpoints(Endpoints file) {
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--rest-host")) {
      restHost = file.restHost();
    }
    if (!given.hasMatchedOption("--rest-port")) {
      restPort = file.restPort();
    }
    if (!given.hasMatchedOption("--proxy-host")) {
      proxyHost = file.proxyHost();
    }
    if (!given.hasMatchedOption("--proxy-port")) {
      proxyPort = file.proxyPort();
    }
  }

  private JobID jobId() {
    if (job == null) {
      return StateLookup.findRunningJob(restHost, restPort, QueryableStateNames.JOB_NAME);
    }
    try {
      return JobID.fromHexString(job);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--job is not a job id (32 hex digits): " + job, e);
    }
  }

  private String toJson(
      JobID jobId,
      UserProfile profile,
      PersonalModelView model,
      RecommendationView recommendations) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("user", user);
    object.put("job", jobId.toHexString());
    object.put("profile", profile);
    object.put("model", model);
    object.put("recommendations", recommendations);
    try {
      return new ObjectMapper().writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the state as JSON: " + e.getMessage(), e);
    }
  }
}
