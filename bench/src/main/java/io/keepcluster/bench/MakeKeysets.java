package io.keepcluster.bench;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes N keysets (the four files each) into a folder, for the keyset scale runs:
 * {@code java -cp bench/target/keepcluster-bench.jar io.keepcluster.bench.MakeKeysets DIR N [RSA|PS256|EC] [PREFIX] [AGE_SECONDS]}.
 * PS256 is an RSA keyset whose descriptor names {@code "JwsAlgorithm": "PS256"}.
 * Their certificates start AGE_SECONDS (default 3600) ago: a keyset dropped later with a younger
 * certificate is the one the signer rule picks.
 */
public final class MakeKeysets {

  private MakeKeysets() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    KeyAlgorithmSpec spec = args.length > 2 && args[2].equalsIgnoreCase("EC")
        ? KeyAlgorithmSpec.ec("P-256") : KeyAlgorithmSpec.rsa(2048);
    String prefix = args.length > 3 ? args[3] : "Bench";
    Files.createDirectories(dir);
    long age = args.length > 4 ? Long.parseLong(args[4]) : 3600;
    Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofSeconds(age)), ZoneOffset.UTC);
    KeysetGenerator generator = new KeysetGenerator();
    for (int i = 0; i < count; i++) {
      KeysetFiles files = generator.generate(KeysetName.of(prefix + i), spec, anHourAgo);
      if (args.length > 2 && args[2].equalsIgnoreCase("PS256")) {
        String descriptor = new JsonObject(files.descriptorJson()).put("JwsAlgorithm", "PS256").encode();
        files = new KeysetFiles(files.name(), descriptor, files.certificatePem(), files.privateKeyPem(),
            files.publicKeyPem());
      }
      files.writeTo(dir);
    }
    System.out.println("wrote " + count + " " + spec.family() + " keysets to " + dir);
  }
}
