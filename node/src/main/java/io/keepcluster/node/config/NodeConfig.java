package io.keepcluster.node.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The typed, validated effective configuration of a node. Built once per (re)load and never
 * changed: the JSON parts are copied in and handed out as copies, so no reader can change what
 * another reads. {@link #raw()} keeps the merged JSON for the sections other components parse.
 */
public record NodeConfig(
    Path configDir,
    String bindAddress,
    Ports ports,
    boolean dominoLoginDisabled,
    TokenSettings tokens,
    LockoutPolicy lockout,
    ClusterSettings cluster,
    JsonObject managementAccounts,
    HttpLimits http,
    LoginLimits login,
    JsonObject raw) {

  public NodeConfig {
    managementAccounts = managementAccounts.copy();
    raw = raw.copy();
  }

  @Override
  public JsonObject managementAccounts() {
    return managementAccounts.copy();
  }

  @Override
  public JsonObject raw() {
    return raw.copy();
  }
}
