package io.keepcluster.node.management;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigSourcesTest {

  @Test
  @DisplayName("secrets are masked by key name: cluster secret, passwords, hashes, private keys, management accounts")
  void secrets() {
    for (String key : new String[] {"cluster.secret", "KEEP_CLUSTER_SECRET", "admin.password",
        "managementAccounts.ops.passwordHash", "managementAccounts", "x.privateKey", "jwt.p.clientSecret", "users.bob.hash"}) {
      assertTrue(ConfigSources.isSecret(key), key);
    }
  }

  @Test
  @DisplayName("ordinary values and file names are shown")
  void notSecrets() {
    for (String key : new String[] {"JwtDuration", "cluster.members", "jwt.static.keyFile", "TLS.keyFile",
        "lockout.attempts", "publicUrl", "login.hashingThreads"}) {
      assertFalse(ConfigSources.isSecret(key), key);
    }
  }
}
