package io.keepcluster.shared.keys;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of the process.
 *
 * <p>It is registered at the END of the provider list (never at position 1), so the JDK's own
 * providers keep serving {@code Signature.getInstance("SHA256withRSA")} and friends; code that
 * needs Bouncy Castle asks for {@link #provider()} explicitly.
 */
public final class BouncyCastle {

  private static final Provider PROVIDER = register();

  private BouncyCastle() {
  }

  /** The registered Bouncy Castle provider. */
  public static Provider provider() {
    return PROVIDER;
  }

  private static synchronized Provider register() {
    Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (existing != null) {
      return existing;
    }
    Provider provider = new BouncyCastleProvider();
    Security.addProvider(provider);
    return provider;
  }
}
