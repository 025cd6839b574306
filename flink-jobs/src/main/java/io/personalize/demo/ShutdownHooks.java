package io.personalize.demo;

/** What a command does when Ctrl-C or SIGTERM ends it: say how far it got. */
public final class ShutdownHooks {
  private ShutdownHooks() {}

  /** Runs {@code action} on its own thread when the JVM shuts down, unless {@link #remove}d. */
  public static Thread add(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Removes a hook the command no longer needs, unless the shutdown it is for has begun. */
  public static void remove(Thread hook) {
    try {
      if (hook != null) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } catch (IllegalStateException shuttingDown) {
      // The shutdown has begun: the hook runs.
    }
  }
}
