package io.keepcluster.node.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.keys.VerifyingCredential;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;

/**
 * One bearer parsed once: {@link CanonicalCompactForm} decodes its parts (each base64 decode and
 * JSON parse done one time), a plain header comes from the {@link HeaderCache}, the claims are
 * built from the payload's JSON, and the signature is checked over the token's own bytes.
 * Refuses exactly what Nimbus' {@code JWTParser}, {@code SignedJWT} and {@code JWSObject.verify}
 * refuse, with the same reasons; any header that is not plain is still parsed by Nimbus itself.
 */
final class CompactJws {

  private final String token;
  private final CanonicalCompactForm.Parts parts;
  private final JWSHeader header;
  /** Nimbus' object: set when Nimbus parsed the token, else made on demand (providers). */
  private SignedJWT signed;
  private JWTClaimsSet claims;

  private CompactJws(String token, CanonicalCompactForm.Parts parts, JWSHeader header, SignedJWT signed) {
    this.token = token;
    this.parts = parts;
    this.header = header;
    this.signed = signed;
  }

  /** The token, if it is a compact JWS in its one spelling with a header Nimbus accepts. */
  static CompactJws parse(String token, HeaderCache headers) throws TokenRejectedException {
    CanonicalCompactForm.Parts parts = CanonicalCompactForm.check(token, headers::get);
    JWSHeader header = parts.knownHeader();
    if (parts.signatureSegment().isEmpty()) {
      // Nimbus' answer (alg none, or "the signature must not be empty") decides.
      header = null;
    } else if (header == null && HeaderCache.storable(parts.header())) {
      try {
        header = JWSHeader.parse(parts.header(), new Base64URL(parts.headerSegment()));
      } catch (ParseException e) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "not a JWT");
      }
      headers.put(parts.headerSegment(), header);
    }
    if (header != null) {
      return new CompactJws(token, parts, header, null);
    }
    SignedJWT jwt = parseWithNimbus(token);
    return new CompactJws(token, parts, jwt.getHeader(), jwt);
  }

  JWSHeader header() {
    return header;
  }

  /** The decoded signature. */
  byte[] signature() {
    return parts.signature();
  }

  /** The claims, parsed; before the signature is checked they are only good for choosing a key. */
  JWTClaimsSet claims() throws TokenRejectedException {
    if (claims == null) {
      try {
        claims = signed != null ? signed.getJWTClaimsSet() : JWTClaimsSet.parse(parts.payload());
      } catch (ParseException e) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "claims are not a JSON object");
      }
    }
    return claims;
  }

  /** Nimbus' object for the same token, for code that takes one (external providers). */
  SignedJWT signed() throws TokenRejectedException {
    if (signed == null) {
      signed = parseWithNimbus(token);
    }
    return signed;
  }

  /** BAD_SIGNATURE unless {@code key} verifies the signature over the header and payload. */
  void checkSignature(VerifyingCredential key) throws TokenRejectedException {
    if (signed != null) {
      TokenChecks.checkSignature(signed, key);
      return;
    }
    // The canonical form admits only base64url characters, so the token's characters are its bytes.
    byte[] input = token.getBytes(StandardCharsets.US_ASCII);
    int length = parts.signingInputEnd();
    boolean valid;
    if (key.verifier() instanceof RSASSAVerifier rsa) {
      valid = RsaSignatures.verify(rsa, header.getAlgorithm(), input, length, parts.signature());
    } else {
      try {
        valid = key.verifier().verify(header, Arrays.copyOf(input, length),
            new Base64URL(parts.signatureSegment()));
      } catch (JOSEException | IllegalStateException e) {
        valid = false;
      }
    }
    if (!valid) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE, "signature does not verify");
    }
  }

  private static SignedJWT parseWithNimbus(String token) throws TokenRejectedException {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "not a JWT");
    }
    if (parsed instanceof SignedJWT signedJwt) {
      return signedJwt;
    }
    if (parsed instanceof EncryptedJWT) {
      throw new TokenRejectedException(RejectionReason.ENCRYPTED_UNSUPPORTED,
          "encrypted tokens are not accepted here");
    }
    throw new TokenRejectedException(RejectionReason.UNSIGNED, "unsigned tokens (alg none) are refused");
  }
}
