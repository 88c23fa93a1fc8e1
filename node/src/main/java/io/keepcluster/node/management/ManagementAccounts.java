package io.keepcluster.node.management;

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

  public ManagementAccounts(JsonObject section, PasswordHasher hasher) {
    this.hasher = hasher;
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

  public boolean authenticate(String name, char[] password) {
    String hash = hashes.get(name);
    if (hash == null) {
      hasher.verifyAgainstDummy(password);
      return false;
    }
    return hasher.verify(password, hash);
  }
}
