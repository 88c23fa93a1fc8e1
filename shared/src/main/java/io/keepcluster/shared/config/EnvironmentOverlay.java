package io.keepcluster.shared.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;

/**
 * Turns the environment variables an operator may set into a config overlay, the last and
 * strongest layer. Ports keep DRAPI's names (including its {@code MANAGMENTPORT} spelling).
 */
public final class EnvironmentOverlay {

  private EnvironmentOverlay() {}

  public static JsonObject from(Map<String, String> env) {
    JsonObject overlay = new JsonObject();
    putInt(overlay, "PORT", env.get("PORT"));
    putInt(overlay, "HEALTHCHECKPORT", env.get("HEALTHCHECKPORT"));
    String management = env.getOrDefault("MANAGEMENTPORT", env.get("MANAGMENTPORT"));
    putInt(overlay, "MANAGMENTPORT", management);
    putInt(overlay, "METRICSPORT", env.get("METRICSPORT"));
    putString(overlay, "BIND", env.get("BIND"));
    putString(overlay, "MANAGEMENT_BIND", env.get("MANAGEMENT_BIND"));
    putString(overlay, "METRICS_BIND", env.get("METRICS_BIND"));
    putInt(overlay, "shutdownDrainSeconds", env.get("KEEP_SHUTDOWN_DRAIN_SECONDS"));
    JsonObject tls = new JsonObject();
    putString(tls, "certFile", env.get("KEEP_TLS_CERT_FILE"));
    putString(tls, "keyFile", env.get("KEEP_TLS_KEY_FILE"));
    if (!tls.isEmpty()) {
      overlay.put("TLS", tls);
    }
    putString(overlay, "publicUrl", env.get("KEEP_PUBLIC_URL"));
    putString(overlay, "issuer", env.get("KEEP_ISSUER"));
    putInt(overlay, "rolloverLeadSeconds", env.get("KEEP_ROLLOVER_LEAD_SECONDS"));

    JsonObject cluster = new JsonObject();
    putString(cluster, "name", env.get("KEEP_CLUSTER_NAME"));
    putInt(cluster, "port", env.get("KEEP_CLUSTER_PORT"));
    putString(cluster, "interface", env.get("KEEP_CLUSTER_INTERFACE"));
    String members = env.get("KEEP_CLUSTER_MEMBERS");
    if (members != null && !members.isBlank()) {
      JsonArray list = new JsonArray();
      Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(list::add);
      cluster.put("members", list);
    }
    if (!cluster.isEmpty()) {
      overlay.put("cluster", cluster);
    }
    return overlay;
  }

  private static void putString(JsonObject target, String key, String value) {
    if (value != null && !value.isBlank()) {
      target.put(key, value.trim());
    }
  }

  /** Keeps non-numeric values as strings so the typed config reports them with their name. */
  private static void putInt(JsonObject target, String key, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      target.put(key, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      target.put(key, value.trim());
    }
  }
}
