package io.keepcluster.bench;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.keys.KeysetCredentials;
import io.keepcluster.node.keys.SigningCredential;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetDescriptor;
import io.keepcluster.shared.keys.KeysetLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Distinct valid tokens for the "fresh tokens" run: copies the header and claims of one token the
 * node issued (a login) and signs COUNT copies, each with its own {@code jti}, with the keyset the
 * node signs with (so every request is a cache miss until the cache wraps). One token a line.
 * {@code java -cp bench/target/keepcluster-bench.jar io.keepcluster.bench.MintTokens CONFIG_DIR KID TOKEN COUNT OUT}.
 */
public final class MintTokens {

  private MintTokens() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String kid = args[1];
    SignedJWT template = SignedJWT.parse(args[2]);
    int count = Integer.parseInt(args[3]);
    KeysetDescriptor descriptor = KeysetDescriptor.parse(kid + ".json",
        Files.readString(dir.resolve(kid + ".json"))).orElseThrow();
    Keyset keyset = new KeysetLoader().load(dir, descriptor);
    SigningCredential signing = KeysetCredentials.signing(keyset);
    JWSSigner signer = signing.signer();
    JWSHeader header = template.getHeader();
    JWTClaimsSet claims = template.getJWTClaimsSet();
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[4])))) {
      for (int i = 0; i < count; i++) {
        SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder(claims).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(signer);
        out.println(jwt.serialize());
      }
    }
    System.out.println("minted " + count + " tokens signed by " + kid);
  }
}
