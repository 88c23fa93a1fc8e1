package io.keepcluster.bench;

import io.keepcluster.shared.keys.BouncyCastle;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ES256 verification with the JDK's SunEC provider against Bouncy Castle, in the same run: the
 * measurement behind KeysetCredentials choosing Bouncy Castle for EC keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EcProviderBenchmark {

  private final byte[] data = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);
  private Signature sunEc;
  private Signature bouncyCastle;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(data);
    signature = signer.sign();
    sunEc = Signature.getInstance("SHA256withECDSA", "SunEC");
    sunEc.initVerify(pair.getPublic());
    bouncyCastle = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
    bouncyCastle.initVerify(pair.getPublic());
  }

  @Benchmark
  public boolean sunEcVerify() throws Exception {
    sunEc.update(data);
    return sunEc.verify(signature);
  }

  @Benchmark
  public boolean bouncyCastleVerify() throws Exception {
    bouncyCastle.update(data);
    return bouncyCastle.verify(signature);
  }
}
