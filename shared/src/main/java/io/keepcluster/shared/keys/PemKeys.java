package io.keepcluster.shared.keys;

import io.keepcluster.shared.files.SafeFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM key material.
 *
 * <p>Parsing uses Bouncy Castle's {@link PEMParser}, which understands every format DRAPI's
 * documented tools produce (PKCS#8, PKCS#1, SEC1 with or without an EC PARAMETERS block,
 * SubjectPublicKeyInfo, RSA PUBLIC KEY). Keys are converted with the JDK's own providers, so
 * they work with any JCA signer; Bouncy Castle is the fallback for curves the JDK dropped, which
 * is enough to name the curve in a refusal. Failures never include key material.
 */
public final class PemKeys {

  private static final JcaPEMKeyConverter BC = new JcaPEMKeyConverter().setProvider(BouncyCastle.provider());
  private static final String MALFORMED = "truncated or malformed PEM";

  private PemKeys() {
  }

  /** The private key in {@code pem}: PKCS#8, PKCS#1 or SEC1; other blocks before it are skipped. */
  public static PrivateKey parsePrivateKey(String pem) throws KeysetLoadException {
    checkSize(pem);
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return convert(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return convert(info);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new KeysetLoadException("encrypted private keys are not supported; store the key unencrypted with mode 0600");
        }
        // EC PARAMETERS, certificates, public keys: not what we look for, keep reading.
      }
    } catch (IOException | RuntimeException e) {
      throw new KeysetLoadException(MALFORMED);
    }
    throw new KeysetLoadException("no private key found in PEM");
  }

  /** The public key in {@code pem}: SubjectPublicKeyInfo, RSA PUBLIC KEY (PKCS#1) or a certificate's. */
  public static PublicKey parsePublicKey(String pem) throws KeysetLoadException {
    checkSize(pem);
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof SubjectPublicKeyInfo info) {
          return convert(info);
        }
        if (o instanceof X509CertificateHolder holder) {
          return convert(holder.getSubjectPublicKeyInfo());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new KeysetLoadException(MALFORMED);
    }
    throw new KeysetLoadException("no public key found in PEM");
  }

  /** The first X.509 certificate in {@code pem}. */
  public static X509Certificate parseCertificate(String pem) throws KeysetLoadException {
    checkSize(pem);
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          return new JcaX509CertificateConverter().getCertificate(holder);
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new KeysetLoadException(MALFORMED);
    }
    throw new KeysetLoadException("no certificate found in PEM");
  }

  /**
   * The public half of {@code privateKey}: from the CRT parameters of an RSA key, or
   * Q = d·G for an EC key.
   */
  public static PublicKey derivePublicKey(PrivateKey privateKey) throws KeysetLoadException {
    try {
      if (privateKey instanceof RSAPrivateCrtKey rsa) {
        return generatePublic("RSA", new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (privateKey instanceof ECPrivateKey ec) {
        return generatePublic("EC", new ECPublicKeySpec(publicPoint(ec), ec.getParams()));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeysetLoadException("cannot derive the public key from the private key");
    }
    throw new KeysetLoadException("cannot derive the public key from a " + privateKey.getAlgorithm()
        + " private key of this form; provide the public key file");
  }

  /** Q = d·G of an EC private key, the point its public key must hold. */
  static ECPoint publicPoint(ECPrivateKey ec) {
    org.bouncycastle.math.ec.ECPoint q = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
    return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
  }

  /**
   * PEM text of a {@link PrivateKey} (PKCS#8, "PRIVATE KEY"), a {@link PublicKey}
   * (SubjectPublicKeyInfo, "PUBLIC KEY") or an {@link X509Certificate} ("CERTIFICATE").
   */
  public static String toPem(Object value) {
    try {
      if (value instanceof PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
      }
      if (value instanceof PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
      }
      if (value instanceof X509Certificate cert) {
        return pem("CERTIFICATE", cert.getEncoded());
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
    throw new IllegalArgumentException("no PEM form for " + (value == null ? "null" : value.getClass().getName()));
  }

  /** Key files are a few KiB; a longer text is refused before it is parsed. */
  private static void checkSize(String pem) throws KeysetLoadException {
    if (pem.length() > SafeFiles.MAX_PEM_BYTES) {
      throw new KeysetLoadException("PEM text too large (" + pem.length() + " characters, at most "
          + SafeFiles.MAX_PEM_BYTES + ")");
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  // JcaPEMKeyConverter asks for an "ECDSA" KeyFactory, which only Bouncy Castle has; going
  // through the standard "RSA"/"EC" factories gives the JDK's key classes, which every JCA
  // signer accepts. Bouncy Castle stays the fallback for curves the JDK does not know.
  private static PrivateKey convert(PrivateKeyInfo info) throws IOException {
    String family = family(info.getPrivateKeyAlgorithm().getAlgorithm());
    if (family != null) {
      try {
        return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      } catch (GeneralSecurityException e) {
        // fall through to Bouncy Castle
      }
    }
    return BC.getPrivateKey(info);
  }

  private static PublicKey convert(SubjectPublicKeyInfo info) throws IOException {
    String family = family(info.getAlgorithm().getAlgorithm());
    if (family != null) {
      try {
        return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
      } catch (GeneralSecurityException e) {
        // fall through to Bouncy Castle
      }
    }
    return BC.getPublicKey(info);
  }

  private static String family(ASN1ObjectIdentifier oid) {
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return "RSA";
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return "EC";
    }
    return null;
  }

  private static PublicKey generatePublic(String algorithm, KeySpec spec) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(spec);
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance(algorithm, BouncyCastle.provider()).generatePublic(spec);
    }
  }
}
