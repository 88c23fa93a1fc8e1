package io.keepcluster.shared.keys;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates a new keyset: a key pair, a self-signed certificate for it and a DRAPI descriptor.
 *
 * <p>CPU-heavy (RSA 4096 takes seconds): call it from a worker thread. The certificate's
 * notBefore is the creation time (the clock's instant, truncated to seconds), which
 * {@link Keyset#notBefore()} reports.
 */
public final class KeysetGenerator {

  private static final int VALIDITY_YEARS = 10;

  private final SecureRandom random;

  public KeysetGenerator() {
    this(new SecureRandom());
  }

  public KeysetGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The four file contents of a new keyset {@code name}; nothing is written. */
  public KeysetFiles generate(KeysetName name, KeyAlgorithmSpec spec, Clock clock) {
    try {
      KeyPair pair = keyPair(spec);
      Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      X509Certificate certificate = selfSigned(name, spec, pair, notBefore);
      return new KeysetFiles(name, descriptor(name, spec), PemKeys.toPem(certificate),
          PemKeys.toPem(pair.getPrivate()), PemKeys.toPem(pair.getPublic()));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      // Only a broken JDK/provider installation gets here: every spec is a supported one.
      throw new IllegalStateException("cannot generate a " + spec + " keyset: " + e.getMessage(), e);
    }
  }

  private KeyPair keyPair(KeyAlgorithmSpec spec) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(spec.family());
    if (spec.curve().isPresent()) {
      generator.initialize(new ECGenParameterSpec(spec.curve().get().secName()), random);
    } else {
      generator.initialize(spec.rsaBits(), random);
    }
    return generator.generateKeyPair();
  }

  private X509Certificate selfSigned(KeysetName name, KeyAlgorithmSpec spec, KeyPair pair, Instant notBefore)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, "KeepCluster")
        .addRDN(BCStyle.O, name.value())
        .build();
    Instant notAfter = notBefore.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant();
    BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE); // positive, non-zero, 16 bytes
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
        Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.subjectKeyIdentifier, false,
        extensions.createSubjectKeyIdentifier(pair.getPublic()));
    String signatureAlgorithm = spec.curve().map(EcCurve::certificateSignatureAlgorithm).orElse("SHA256withRSA");
    ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm).setSecureRandom(random).build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** DRAPI's descriptor format, key order as DRAPI writes it. */
  private static String descriptor(KeysetName name, KeyAlgorithmSpec spec) {
    String dir = "keepconfig.d/";
    return new JsonObject()
        .put(KeysetDescriptor.USE_PUB_PRIV_KEY, true)
        .put(KeysetDescriptor.USE_PEM_FILE, true)
        .put(KeysetDescriptor.ISSUER, KeysetDescriptor.defaultIssuer(name))
        .put(KeysetDescriptor.PRIVATE_KEY_FILE, dir + KeysetFiles.privateKeyFileName(name))
        .put(KeysetDescriptor.PUBLIC_KEY_FILE, dir + KeysetFiles.publicKeyFileName(name))
        .put(KeysetDescriptor.CERT_FILE, dir + KeysetFiles.certificateFileName(name))
        .put(KeysetDescriptor.ALGORITHM, spec.family())
        .encodePrettily() + "\n";
  }
}
