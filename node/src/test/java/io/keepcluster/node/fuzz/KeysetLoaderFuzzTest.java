package io.keepcluster.node.fuzz;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetDescriptor;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the keyset loader ({@code KeysetLoader}, {@code KeysetDescriptor}, {@code PemKeys}) with
 * mutated PEM files and descriptors of real keysets: only {@link KeysetLoadException} may escape.
 */
class KeysetLoaderFuzzTest {

  private static List<KeysetFiles> real;

  @BeforeAll
  static void realKeysets() {
    KeysetGenerator generator = new KeysetGenerator();
    real = List.of(
        generator.generate(KeysetName.of("Rsa"), KeyAlgorithmSpec.rsa(2048), Clock.systemUTC()),
        generator.generate(KeysetName.of("Ec"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()),
        generator.generate(KeysetName.of("Ec521"), KeyAlgorithmSpec.ec("P-521"), Clock.systemUTC()));
  }

  /** A real keyset with one or two of its four texts mutated (or swapped with another file's). */
  private static KeysetFiles mutated(Random r) {
    KeysetFiles files = real.get(r.nextInt(real.size()));
    KeysetFiles other = real.get(r.nextInt(real.size()));
    String descriptor = files.descriptorJson();
    String cert = files.certificatePem();
    String privateKey = files.privateKeyPem();
    String publicKey = files.publicKeyPem();
    for (int edits = 1 + r.nextInt(2); edits > 0; edits--) {
      switch (r.nextInt(9)) {
        case 0 -> descriptor = Mutations.mutate(r, descriptor);
        case 1 -> descriptor = Mutations.mutate(r, new JsonObject(files.descriptorJson())).encode();
        case 2 -> cert = r.nextInt(4) == 0 ? null : pem(r, cert);
        case 3, 4 -> privateKey = pem(r, privateKey);
        case 5 -> publicKey = pem(r, publicKey);
        case 6 -> publicKey = other.publicKeyPem();
        case 7 -> privateKey = r.nextBoolean() ? other.privateKeyPem() : other.certificatePem();
        default -> cert = r.nextBoolean() ? other.certificatePem() : other.publicKeyPem();
      }
    }
    return new KeysetFiles(files.name(), descriptor, cert, privateKey, publicKey);
  }

  /** A PEM changed inside its base64 body (where DER parsers meet the bytes) or in its armour. */
  private static String pem(Random r, String pem) {
    if (pem == null) {
      return null;
    }
    if (r.nextInt(3) == 0) {
      return Mutations.mutate(r, pem);
    }
    int start = pem.indexOf('\n') + 1;
    int end = pem.lastIndexOf("-----END");
    if (start <= 0 || end <= start) {
      return Mutations.mutate(r, pem);
    }
    String body = pem.substring(start, end);
    String changed = body;
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      int at = r.nextInt(changed.length());
      changed = switch (r.nextInt(3)) {
        case 0 -> changed.substring(0, at) + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .charAt(r.nextInt(64)) + changed.substring(Math.min(changed.length(), at + 1));
        case 1 -> changed.substring(0, at) + changed.substring(Math.min(changed.length(), at + 1 + r.nextInt(8)));
        default -> changed.substring(0, at) + "MIIB" + changed.substring(at);
      };
    }
    return pem.substring(0, start) + changed + pem.substring(end);
  }

  @Test
  @DisplayName("mutated PEM files and descriptors: KeysetLoader.load lets only KeysetLoadException escape")
  void loader() {
    KeysetLoader loader = new KeysetLoader();
    // A quarter of the budget: an input that keeps a valid key pair costs an RSA pair check (~10 ms).
    Fuzz.run("KeysetLoader.load", Fuzz.tries(2000) / 4, KeysetLoaderFuzzTest::mutated, files -> {
      try {
        loader.load(files);
      } catch (KeysetLoadException refused) {
        // the documented outcome
      }
    });
  }

  @Test
  @DisplayName("mutated PEM text: each PemKeys parser lets only KeysetLoadException escape")
  void pemParsers() {
    Fuzz.run("PemKeys.parse*", Fuzz.tries(2000), r -> {
      KeysetFiles files = real.get(r.nextInt(real.size()));
      String[] texts = {files.privateKeyPem(), files.publicKeyPem(), files.certificatePem()};
      return pem(r, texts[r.nextInt(texts.length)]);
    }, pem -> {
      try {
        PemKeys.parsePrivateKey(pem);
      } catch (KeysetLoadException refused) {
        // documented
      }
      try {
        PemKeys.parsePublicKey(pem);
      } catch (KeysetLoadException refused) {
        // documented
      }
      try {
        PemKeys.parseCertificate(pem);
      } catch (KeysetLoadException refused) {
        // documented
      }
    });
  }

  @Test
  @DisplayName("mutated and random descriptor JSON: KeysetDescriptor.parse lets only KeysetLoadException escape")
  void descriptors() {
    Fuzz.run("KeysetDescriptor.parse", Fuzz.tries(2000), r -> {
      String json = real.get(r.nextInt(real.size())).descriptorJson();
      return switch (r.nextInt(3)) {
        case 0 -> Mutations.mutate(r, json);
        case 1 -> Mutations.mutate(r, new JsonObject(json)).encode();
        default -> Mutations.deep(r, 1 + r.nextInt(3000));
      };
    }, json -> {
      try {
        KeysetDescriptor.parse("Fuzz.json", json);
      } catch (KeysetLoadException refused) {
        // documented
      }
    });
  }
}
