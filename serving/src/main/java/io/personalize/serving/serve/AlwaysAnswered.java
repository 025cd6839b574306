package io.personalize.serving.serve;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a request hands to a thread pool of the server's own (profile lookups, {@code POST
 * /events}), wrapped so that the request is answered whatever the work throws: Undertow answers for
 * a handler that fails on its own thread, but nothing answers for one that fails on ours, and the
 * client waits for good. An {@link Error} counts too: a class missing from the serving classpath
 * (which has no Flink runtime) is a {@link NoClassDefFoundError}.
 */
final class AlwaysAnswered {
  private static final Logger LOG = LoggerFactory.getLogger(AlwaysAnswered.class);

  /** How a failed request is answered. */
  interface Reply {
    void send(int status, Map<String, Object> body);
  }

  private AlwaysAnswered() {}

  /**
   * {@code work}, answering 500 through {@code reply} if it throws anything; a {@link
   * VirtualMachineError} (out of memory) is thrown on after the answer.
   *
   * @param what what the work does, for the log: "look up user 42"
   */
  static Runnable of(String what, Reply reply, Runnable work) {
    return () -> {
      try {
        work.run();
      } catch (Throwable failure) {
        LOG.error("failed to {}", what, failure);
        try {
          reply.send(500, Answers.error(500, "internal error: " + failure));
        } catch (RuntimeException answerFailed) {
          failure.addSuppressed(answerFailed);
          LOG.error("could not answer the request that failed to {}", what, answerFailed);
        }
        if (failure instanceof VirtualMachineError fatal) {
          throw fatal;
        }
      }
    };
  }
}
