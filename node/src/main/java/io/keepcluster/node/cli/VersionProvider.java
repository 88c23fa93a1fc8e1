package io.keepcluster.node.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's Implementation-Version. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"keepcluster-node " + (version == null ? "dev" : version)};
  }
}
