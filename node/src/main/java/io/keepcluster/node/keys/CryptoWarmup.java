package io.keepcluster.node.keys;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSObject;
import io.keepcluster.shared.keys.BouncyCastle;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exercises the keyset path once (Bouncy Castle's provider set-up, PEM parsing, certificate checks,
 * signing and verifying) on a background thread while the node starts. Measured here, the first
 * keyset loaded by a cold JVM took about 2.5 s, most of it one-time initialisation; without this,
 * the first keyset dropped on a running cluster would miss the one-second target.
 */
public final class CryptoWarmup {

  private static final Logger LOG = LoggerFactory.getLogger(CryptoWarmup.class);

  private CryptoWarmup() {}

  public static CompletableFuture<Void> startInBackground() {
    return CompletableFuture.runAsync(CryptoWarmup::run, runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-crypto-warmup");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private static void run() {
    long started = System.nanoTime();
    try {
      BouncyCastle.provider();
      for (KeyAlgorithmSpec spec : new KeyAlgorithmSpec[] {KeyAlgorithmSpec.ec("P-256"), KeyAlgorithmSpec.rsa(2048)}) {
        Keyset keyset = new KeysetLoader().load(new KeysetGenerator()
            .generate(KeysetName.of("warmup"), spec, Clock.systemUTC()));
        SigningCredential signing = KeysetCredentials.signing(keyset);
        VerifyingCredential verifying = KeysetCredentials.verifying(keyset, Optional.empty());
        JWSObject jws = new JWSObject(new JWSHeader(signing.algorithm()), new Payload("warmup"));
        jws.sign(signing.signer());
        jws.verify(verifying.verifier());
      }
      LOG.debug("event=crypto_warmup_done ms={}", (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.debug("event=crypto_warmup_failed reason=\"{}\"", e.toString());
    }
  }
}
