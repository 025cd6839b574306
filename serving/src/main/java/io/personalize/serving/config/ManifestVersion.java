package io.personalize.serving.config;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code -V} prints for every command: the version Maven wrote into the jar's manifest. The
 * commands run as separate mains (the serving ones without the Flink runtime), and a subcommand
 * does not inherit its parent's version: {@code bin/personalize serve -V} printed nothing.
 */
public final class ManifestVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = ManifestVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "personalize " + (version == null ? "(a build not run from its jars)" : version)
    };
  }
}
