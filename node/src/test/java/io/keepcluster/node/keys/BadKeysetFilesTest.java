package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of broken keyset next to a good signing keyset A: the node keeps serving with A,
 * reports the broken one in /health (file and reason), and forgets the problem once fixed.
 */
@DisplayName("broken keyset files")
class BadKeysetFilesTest {

  private static final String BAD = "Bad";

  @TempDir Path dir;
  @TempDir Path work;
  private KeysetTestNode node;
  /** The good files of "Bad", older than A so that once fixed it verifies but never signs. */
  private KeysetFiles good;

  /** One way to break the keyset "Bad" and the fix that makes it whole. */
  interface Step {
    void apply(BadKeysetFilesTest test) throws Exception;
  }

  record Case(String description, String file, String reason, Step breakIt, Step fixIt) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("mismatched pair (public key of another key)", BAD + ".public.key.pem", "does not match", t -> {
          t.writeGood(false);
          t.write(BAD + ".public.key.pem",
              KeysetTestNode.generate("Other", KeyAlgorithmSpec.rsa(2048), Clock.systemUTC()).publicKeyPem());
          t.write(BAD + ".json", t.good.descriptorJson());
        }, t -> t.write(BAD + ".public.key.pem", t.good.publicKeyPem())),
        new Case("truncated private key PEM", BAD + ".private.key.pem", "PEM", t -> {
          t.writeGood(false);
          String pem = t.good.privateKeyPem();
          t.write(BAD + ".private.key.pem", pem.substring(0, pem.length() / 2));
          t.write(BAD + ".json", t.good.descriptorJson());
        }, t -> t.write(BAD + ".private.key.pem", t.good.privateKeyPem())),
        new Case("RSA 1024-bit key", BAD + ".private.key.pem", "1024", t -> {
          t.weakRsa1024();
          t.write(BAD + ".json", KeysetTestNode.drapiDescriptor(BAD, "RSA", false));
        }, BadKeysetFilesTest::replaceWithGood),
        new Case("EC P-192 key (openssl prime192v1)", BAD + ".private.key.pem", "secp192r1", t -> {
          t.opensslEc("prime192v1");
          t.write(BAD + ".json", KeysetTestNode.drapiDescriptor(BAD, "EC", false));
        }, BadKeysetFilesTest::replaceWithGood),
        new Case("EC secp256k1 key (openssl)", BAD + ".private.key.pem", "secp256k1", t -> {
          t.opensslEc("secp256k1");
          t.write(BAD + ".json", KeysetTestNode.drapiDescriptor(BAD, "EC", false));
        }, BadKeysetFilesTest::replaceWithGood),
        new Case("descriptor that is not valid JSON", BAD + ".json", "invalid JSON", t -> {
          t.writeGood(false);
          t.write(BAD + ".json", "{\"JwtUsePubPrivKey\": true,");
        }, t -> t.write(BAD + ".json", t.good.descriptorJson())),
        new Case("descriptor naming a key file that does not exist", BAD + ".private.key.pem", "missing file", t -> {
          t.write(BAD + ".cert.pem", t.good.certificatePem());
          t.write(BAD + ".public.key.pem", t.good.publicKeyPem());
          t.write(BAD + ".json", t.good.descriptorJson());
        }, t -> t.write(BAD + ".private.key.pem", t.good.privateKeyPem())),
        new Case("a directory in the key file's place", BAD + ".private.key.pem", "not a regular file (directory)", t -> {
          t.write(BAD + ".cert.pem", t.good.certificatePem());
          t.write(BAD + ".public.key.pem", t.good.publicKeyPem());
          Files.createDirectory(t.dir.resolve(BAD + ".private.key.pem"));
          t.write(BAD + ".json", t.good.descriptorJson());
        }, t -> {
          Files.delete(t.dir.resolve(BAD + ".private.key.pem"));
          t.write(BAD + ".private.key.pem", t.good.privateKeyPem());
        }));
  }

  @BeforeEach
  void startNodeSigningWithA() throws Exception {
    node = KeysetTestNode.start(dir);
    node.dropAndAwaitSigning("A");
    good = KeysetTestNode.generate(BAD, KeyAlgorithmSpec.rsa(2048),
        Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("a broken keyset is reported in /health with its file and reason while A keeps signing")
  void reportedWhileServing(Case c) throws Exception {
    String tokenOfA = node.bearer();
    c.breakIt().apply(this);

    JsonObject problem = awaitProblem();
    System.out.println(c + " -> " + problem.encode());
    assertEquals(c.file(), problem.getString("file"), problem.encode());
    assertTrue(problem.getString("error", "").contains(c.reason()), problem.encode());
    assertEquals("keyset_file", problem.getString("kind"), problem.encode());

    // A file that is not JSON would also stop the next start: that makes the node DEGRADED (and
    // not ready) until fixed. Any other broken keyset leaves it UP.
    assertEquals("invalid JSON".equals(c.reason()) ? "DEGRADED" : "UP", node.health().getString("status"));
    assertEquals("A", node.signingKid());
    assertEquals("A", KeysetTestNode.kidOf(node.bearer()));
    assertEquals(200, node.userinfo(tokenOfA).statusCode());
    assertEquals("absent", node.stateOf(BAD));
    assertFalse(jwksKids().contains(BAD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("fixing a broken keyset clears its problem and it loads")
  void fixingClearsTheProblem(Case c) throws Exception {
    c.breakIt().apply(this);
    awaitProblem();

    c.fixIt().apply(this);

    await().atMost(Duration.ofSeconds(10)).until(() -> node.problems().isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> "verifying".equals(node.stateOf(BAD)));
    assertEquals("A", node.signingKid());
  }

  private JsonObject awaitProblem() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> node.problems().stream()
            .filter(p -> p.getString("file", "").startsWith(BAD)).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  private List<String> jwksKids() throws Exception {
    var keys = new JsonObject(node.get(node.api("/.well-known/jwks.json")).body()).getJsonArray("keys");
    return keys.stream().map(k -> ((JsonObject) k).getString("kid")).toList();
  }

  // ---- file helpers ----

  void write(String file, String content) throws Exception {
    Files.writeString(dir.resolve(file), content);
  }

  void writeGood(boolean withDescriptor) throws Exception {
    write(BAD + ".cert.pem", good.certificatePem());
    write(BAD + ".private.key.pem", good.privateKeyPem());
    write(BAD + ".public.key.pem", good.publicKeyPem());
    if (withDescriptor) {
      write(BAD + ".json", good.descriptorJson());
    }
  }

  static void replaceWithGood(BadKeysetFilesTest t) throws Exception {
    t.writeGood(true);
  }

  void weakRsa1024() throws Exception {
    if (KeysetTestNode.opensslAvailable()
        && KeysetTestNode.openssl(work, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
            "-out", "weak.pem") == 0) {
      KeysetTestNode.opensslOk(work, "pkey", "-in", "weak.pem", "-pubout", "-out", "weak.pub.pem");
      write(BAD + ".private.key.pem", Files.readString(work.resolve("weak.pem")));
      write(BAD + ".public.key.pem", Files.readString(work.resolve("weak.pub.pem")));
      return;
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair pair = generator.generateKeyPair();
    write(BAD + ".private.key.pem", PemKeys.toPem(pair.getPrivate()));
    write(BAD + ".public.key.pem", PemKeys.toPem(pair.getPublic()));
  }

  void opensslEc(String curve) throws Exception {
    Assumptions.assumeTrue(KeysetTestNode.opensslAvailable(), "needs /usr/bin/openssl");
    Assumptions.assumeTrue(KeysetTestNode.openssl(work, "ecparam", "-name", curve, "-genkey", "-noout",
        "-out", "ec.pem") == 0, "this openssl cannot make " + curve + " keys");
    KeysetTestNode.opensslOk(work, "pkey", "-in", "ec.pem", "-pubout", "-out", "ec.pub.pem");
    write(BAD + ".private.key.pem", Files.readString(work.resolve("ec.pem")));
    write(BAD + ".public.key.pem", Files.readString(work.resolve("ec.pub.pem")));
  }
}
