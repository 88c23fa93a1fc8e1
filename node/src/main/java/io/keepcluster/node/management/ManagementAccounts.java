package io.keepcluster.node.management;

import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.LockoutKey;
import io.keepcluster.shared.password.PasswordHasher;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code managementAccounts} section: {@code {"name": {"passwordHash": "$argon2id$..."}}}.
 * These are console operators, not directory users. Blocking: hashing runs on a worker thread.
 */
public final class ManagementAccounts {

  private final Map<String, String> hashes = new ConcurrentHashMap<>();
  private final PasswordHasher hasher;
  private final LockoutRegistry lockouts;

  public ManagementAccounts(JsonObject section, PasswordHasher hasher, LockoutRegistry lockouts) {
    this.hasher = hasher;
    this.lockouts = lockouts;
    for (String name : section.fieldNames()) {
      Object account = section.getValue(name);
      if (account instanceof JsonObject o && o.getValue("passwordHash") instanceof String hash) {
        hashes.put(name, hash);
      }
    }
  }

  public boolean isEmpty() {
    return hashes.isEmpty();
  }

  /** True when {@code name} is a configured account (so it may be logged as it is). */
  public boolean exists(String name) {
    return hashes.containsKey(name);
  }

  /**
   * True while {@code name} (a configured account or not) is suspended by the management lockout;
   * unknown names are locked the same way, so this tells nothing about which accounts exist.
   */
  public boolean locked(String name) {
    return lockouts.isLocked(LockoutKey.of(name, hashes.containsKey(name)));
  }

  /**
   * Same rules as a directory login: a guess is reserved in the management lockouts (cluster-wide,
   * for unknown names too), one full verification always runs, and the guess is settled, so a
   * brute force on the management port is suspended after the policy's attempts like a login.
   */
  public boolean authenticate(String name, char[] password) {
    String hash = hashes.get(name);
    String counted = LockoutKey.of(name, hash != null);
    boolean admitted = lockouts.tryBegin(counted);
    boolean matches = hash != null ? hasher.verify(password, hash) : hasher.verifyAgainstDummy(password);
    boolean succeeded = admitted && matches;
    if (admitted) {
      lockouts.finish(counted, succeeded);
    }
    return succeeded;
  }
}
