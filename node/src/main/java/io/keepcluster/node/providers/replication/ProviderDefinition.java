package io.keepcluster.node.providers.replication;

import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderConfigParser;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What replicates of one provider: its settings from the {@code jwt} section and, for a static
 * provider, the PEM text of its public key (so a node never needs the writer's file paths).
 * Two definitions are the same provider when their settings (without {@code keyFile} and
 * {@code replicatedFrom}, which differ between a node's own file and a copy) and key text are.
 */
public record ProviderDefinition(String name, JsonObject settings, Optional<String> keyPem) {

  /** A public key is a few kilobytes; anything larger is not one. */
  public static final int MAX_KEY_CHARS = 16 * 1024;

  public ProviderDefinition {
    settings = settings.copy();
    if (keyPem.isPresent() && keyPem.get().length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException("jwt." + name + ".keyFile is larger than " + MAX_KEY_CHARS
          + " characters: not a public key");
    }
  }

  @Override
  public JsonObject settings() {
    return settings.copy();
  }

  /** True when both define the same provider (same settings and key, wherever the files are). */
  public boolean sameAs(ProviderDefinition other) {
    return other != null && name.equals(other.name) && keyPem.equals(other.keyPem)
        && comparable().equals(other.comparable());
  }

  public boolean active() {
    return !Boolean.FALSE.equals(settings.getValue("active"));
  }

  /** Parsed and checked like the operator's own section; the key comes from {@link #keyPem}. */
  public ProviderConfig config() throws ConfigException {
    return ProviderConfigParser.provider(name, settings(), (at, file) -> keyPem.orElseThrow(
        () -> new ConfigException(at + ".keyFile " + file + ": the record carries no key")));
  }

  private JsonObject comparable() {
    JsonObject copy = settings.copy();
    copy.remove("keyFile");
    copy.remove(ProviderConfigParser.REPLICATED_FROM);
    return copy;
  }

  /** The grid record's body: {@code {"name","settings","keyPem"?}}. */
  public JsonObject toJson() {
    JsonObject record = comparable();
    if (settings.getValue("keyFile") != null) {
      // Only so the record parses as a static provider; the key itself is keyPem.
      record.put("keyFile", settings.getValue("keyFile"));
    }
    JsonObject json = new JsonObject().put("name", name).put("settings", record);
    keyPem.ifPresent(pem -> json.put("keyPem", pem));
    return json;
  }

  /** A grid record's body back; null when it is not one (an authentic but foreign shape). */
  public static ProviderDefinition fromJson(JsonObject json) {
    try {
      String name = json.getString("name");
      JsonObject settings = json.getJsonObject("settings");
      Object pem = json.getValue("keyPem");
      if (name == null || settings == null || (pem != null && !(pem instanceof String))) {
        return null;
      }
      return new ProviderDefinition(name, settings, Optional.ofNullable((String) pem));
    } catch (ClassCastException | IllegalArgumentException e) {
      return null;
    }
  }
}
