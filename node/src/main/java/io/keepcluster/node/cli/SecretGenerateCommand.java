package io.keepcluster.node.cli;

import io.keepcluster.shared.cluster.ClusterSecret;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code secret generate}: prints a new cluster secret and nothing else, so that
 * {@code export KEEP_CLUSTER_SECRET="$(... secret generate)"} works. Printing it is the point of
 * this command; nowhere else does the secret reach an output.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Prints a fresh 256-bit cluster secret (43 base64url characters) on one line.",
        "Put the same value in KEEP_CLUSTER_SECRET on every node of the cluster;"
            + " nothing is written to disk."})
public final class SecretGenerateCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.println(ClusterSecret.generate(new SecureRandom()).encoded());
    return 0;
  }
}
