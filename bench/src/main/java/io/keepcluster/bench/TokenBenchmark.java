package io.keepcluster.bench;

import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetCredentials;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenRequest;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.tokens.VerifiedToken;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issuing and verifying a token with KeepCluster, against the raw JCA signature of the same
 * bytes as the baseline in the same run. The ratio (KeepCluster / JCA) is the cost of JWT
 * parsing, claim checks and key lookup on top of the cryptography.
 *
 * <pre>java -jar bench/target/keepcluster-bench.jar TokenBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TokenBenchmark {

  @Param({"RS256", "PS256", "ES256", "ES384", "ES512"})
  public String alg;

  private TokenIssuer issuer;
  private TokenVerifier verifier;
  private String token;
  private Signature jcaSigner;
  private Signature jcaVerifier;
  private byte[] signingInput;
  private byte[] jcaSignature;

  @Setup
  public void setUp() throws Exception {
    KeyAlgorithmSpec spec = switch (alg) {
      case "RS256", "PS256" -> KeyAlgorithmSpec.rsa(2048);
      case "ES256" -> KeyAlgorithmSpec.ec("P-256");
      case "ES384" -> KeyAlgorithmSpec.ec("P-384");
      default -> KeyAlgorithmSpec.ec("P-521");
    };
    var files = new KeysetGenerator().generate(KeysetName.of("bench"), spec, Clock.systemUTC());
    if ("PS256".equals(alg)) {
      String descriptor = new io.vertx.core.json.JsonObject(files.descriptorJson())
          .put("JwsAlgorithm", "PS256").encode();
      files = new io.keepcluster.shared.keys.KeysetFiles(files.name(), descriptor,
          files.certificatePem(), files.privateKeyPem(), files.publicKeyPem());
    }
    Keyset keyset = new KeysetLoader().load(files);
    EphemeralKey ephemeral = EphemeralKey.create("bench", "KeepCluster", new SecureRandom());
    KeyRing ring = new KeyRing(new KeyRingSnapshot(KeysetCredentials.signing(keyset),
        List.of(ephemeral.verifying(), KeysetCredentials.verifying(keyset, Optional.empty()))));
    TokenSettings settings = new TokenSettings(Duration.ofHours(2), Duration.ofDays(1), "KeepCluster",
        "Domino", Duration.ofSeconds(5));
    issuer = new TokenIssuer(ring, settings, Clock.systemUTC());
    verifier = new TokenVerifier(ring, settings, new LocalRevocations(Clock.systemUTC()), Clock.systemUTC());
    token = issuer.issue(request()).serialized();

    String jcaAlgorithm = switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "PS256" -> "RSASSA-PSS";
      case "ES256" -> "SHA256withECDSA";
      case "ES384" -> "SHA384withECDSA";
      default -> "SHA512withECDSA";
    };
    jcaSigner = Signature.getInstance(jcaAlgorithm);
    jcaVerifier = Signature.getInstance(jcaAlgorithm);
    if ("PS256".equals(alg)) {
      var pss = new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
          java.security.spec.MGF1ParameterSpec.SHA256, 32, 1);
      jcaSigner.setParameter(pss);
      jcaVerifier.setParameter(pss);
    }
    jcaSigner.initSign(keyset.signingKey().privateKey());
    jcaVerifier.initVerify(keyset.verificationKey().publicKey());
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    jcaSigner.update(signingInput);
    jcaSignature = jcaSigner.sign();
  }

  private static TokenRequest request() {
    return new TokenRequest("CN=Alice/O=Acme", "alice@acme.test", "MAIL $DATA");
  }

  @Benchmark
  public String keepclusterIssue() {
    return issuer.issue(request()).serialized();
  }

  @Benchmark
  public VerifiedToken keepclusterVerify() throws TokenRejectedException {
    return verifier.verify(token);
  }

  @Benchmark
  public byte[] jcaSign() throws Exception {
    jcaSigner.update(signingInput);
    return jcaSigner.sign();
  }

  @Benchmark
  public boolean jcaVerify() throws Exception {
    jcaVerifier.update(signingInput);
    return jcaVerifier.verify(jcaSignature);
  }
}
