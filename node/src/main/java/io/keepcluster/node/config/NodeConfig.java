package io.keepcluster.node.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The typed, validated effective configuration of a node. Built once per (re)load and never
 * changed: the JSON parts are copied in and handed out as copies, so no reader can change what
 * another reads. {@link #raw()} keeps the merged JSON for the sections other components parse.
 *
 * @param publicUrl where clients reach the cluster; a {@linkplain PublicUrl#fallback() fallback}
 *     on a single node without {@code publicUrl} (see {@link #withApiPort})
 * @param rolloverLead how long a new keyset is published (verifies, is in the JWKS) before it
 *     signs; also the JWKS and discovery {@code max-age}
 * @param servers bind addresses of the management and metrics ports, TLS, the shutdown drain
 */
public record NodeConfig(
    Path configDir,
    String bindAddress,
    Ports ports,
    boolean dominoLoginDisabled,
    TokenSettings tokens,
    PublicUrl publicUrl,
    Duration rolloverLead,
    LockoutPolicy lockout,
    ClusterSettings cluster,
    JsonObject managementAccounts,
    HttpLimits http,
    LoginLimits login,
    ServerSettings servers,
    JsonObject raw) {

  public NodeConfig {
    managementAccounts = managementAccounts.copy();
    raw = raw.copy();
  }

  /**
   * This configuration once the API port is known. Without a configured {@code publicUrl} a single
   * node answers on {@code http://localhost:PORT} (the port actually bound) and, unless
   * {@code issuer} is set, signs with that as its issuer; a configured {@code publicUrl} is kept.
   */
  public NodeConfig withApiPort(int apiPort) {
    if (!publicUrl.fallback()) {
      return this;
    }
    PublicUrl local = PublicUrl.localhost(apiPort, servers.tls().isPresent());
    TokenSettings resolved = raw.getValue(NodeConfigParser.ISSUER) == null
        ? tokens.withIssuer(local.url()) : tokens;
    Ports bound = new Ports(apiPort, ports.health(), ports.management(), ports.metrics());
    return new NodeConfig(configDir, bindAddress, bound, dominoLoginDisabled, resolved, local,
        rolloverLead, lockout, cluster, managementAccounts, http, login, servers, raw);
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
