package io.personalize.eval;

/**
 * Whether standard output and standard error are terminals. {@code bin/personalize} tells the JVM
 * ({@code -Dpersonalize.stdout.terminal}, {@code -Dpersonalize.stderr.terminal}: the shell's {@code
 * -t} test), since Java 17 cannot ask of one stream; without them, both are taken to be terminals
 * when the JVM has a console (standard input and output are terminals).
 */
public final class Terminal {
  private Terminal() {}

  public static boolean stdout() {
    return is("personalize.stdout.terminal");
  }

  public static boolean stderr() {
    return is("personalize.stderr.terminal");
  }

  private static boolean is(String property) {
    String told = System.getProperty(property);
    return told == null ? System.console() != null : Boolean.parseBoolean(told);
  }
}
