package io.keepcluster.node.cli;

import io.keepcluster.shared.keys.InvalidKeysetNameException;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetExistsException;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code idp create NAME --algorithm RSA|EC}: DRAPI's "Create IdP Certificate" from the shell. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Creates NAME.cert.pem, NAME.json, NAME.private.key.pem (0600) and NAME.public.key.pem in DIR.",
        "A running node on DIR starts signing with the new keyset within a second; an existing NAME is never overwritten."})
public final class IdpCreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "1-64 of A-Z a-z 0-9 _ - (the key id).")
  String name;

  @Option(names = "--algorithm", defaultValue = "RSA", description = "RSA or EC (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(names = "--key-size", description = "RSA modulus: 2048 (default), 3072 or 4096.")
  Integer keySize;

  @Option(names = "--curve", description = "EC curve: P-256 (default), P-384 or P-521.")
  String curve;

  @Mixin
  ConfigDirOption configDirOption;

  @Option(names = "--create", description = "Create DIR when it does not exist (else that is an error).")
  boolean create;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (!create && !configDirOption.exists(spec.commandLine().getErr(), true)) {
      return 2;
    }
    Path configDir = configDirOption.dir;
    try {
      KeysetName keysetName = KeysetName.of(name);
      KeyAlgorithmSpec spec = KeyAlgorithmSpec.parse(algorithm, keySize, curve);
      Files.createDirectories(configDir);
      KeysetFiles files = new KeysetGenerator().generate(keysetName, spec, Clock.systemUTC());
      files.writeTo(configDir);
      System.out.println("created keyset " + keysetName.value() + " (" + spec.jwsAlgorithm() + ") in "
          + configDir + ": " + String.join(", ", KeysetFiles.fileNames(keysetName)));
      return 0;
    } catch (KeysetExistsException e) {
      System.err.println("keepcluster: a keyset named " + name + " already exists in " + configDir
          + "; existing files are never overwritten");
      return 1;
    } catch (InvalidKeysetNameException e) {
      System.err.println("keepcluster: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println("keepcluster: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("keepcluster: cannot write keyset files in " + configDir + ": " + e.getMessage());
      return 1;
    }
  }
}
