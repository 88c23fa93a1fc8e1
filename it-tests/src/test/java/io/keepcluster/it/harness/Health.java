package io.keepcluster.it.harness;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** A node's {@code /health} document (DESIGN.md section 8) with the lookups the scenarios need. */
public record Health(String node, int httpStatus, JsonObject json) {

  public boolean up() {
    return httpStatus == 200 && "UP".equals(json.getString("status"));
  }

  public List<String> members() {
    return strings(json.getJsonObject("cluster", new JsonObject()).getJsonArray("members"));
  }

  /**
   * {@code cluster.intruders}: members that could not prove the cluster secret, each an object
   * with {@code member} ("host:port"), {@code node} and {@code reason}. Empty when absent.
   */
  public List<JsonObject> intruders() {
    JsonArray intruders = json.getJsonObject("cluster", new JsonObject()).getJsonArray("intruders");
    List<JsonObject> list = new ArrayList<>();
    if (intruders != null) {
      for (int i = 0; i < intruders.size(); i++) {
        list.add(intruders.getJsonObject(i));
      }
    }
    return list;
  }

  /** True when {@code cluster.intruders} has an entry whose {@code member} is {@code hostPort}. */
  public boolean namesIntruder(String hostPort) {
    return intruders().stream().anyMatch(i -> hostPort.equals(i.getString("member")));
  }

  /** {@code cluster.rejoins}: how often the node's embedded member was lost and rejoined; empty when absent. */
  public OptionalLong rejoins() {
    Object value = json.getJsonObject("cluster", new JsonObject()).getValue("rejoins");
    return value instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
  }

  public String signing() {
    return keys().getString("signing");
  }

  public List<String> verifying() {
    return strings(keys().getJsonArray("verifying"));
  }

  public String ephemeral() {
    return keys().getString("ephemeral");
  }

  /** {@code signingAt} of a keyset still in its rollover lead ({@code state: published}). */
  public Optional<java.time.Instant> signingAt(String kid) {
    JsonArray keysets = json.getJsonArray("keysets", new JsonArray());
    for (int i = 0; i < keysets.size(); i++) {
      JsonObject k = keysets.getJsonObject(i);
      if (kid.equals(k.getString("kid")) && k.getString("signingAt") != null) {
        return Optional.of(java.time.Instant.parse(k.getString("signingAt")));
      }
    }
    return Optional.empty();
  }

  public Optional<String> keysetState(String kid) {
    JsonArray keysets = json.getJsonArray("keysets", new JsonArray());
    for (int i = 0; i < keysets.size(); i++) {
      JsonObject k = keysets.getJsonObject(i);
      if (kid.equals(k.getString("kid"))) {
        return Optional.ofNullable(k.getString("state"));
      }
    }
    return Optional.empty();
  }

  public List<JsonObject> problems() {
    JsonArray problems = json.getJsonArray("problems", new JsonArray());
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      list.add(problems.getJsonObject(i));
    }
    return list;
  }

  /** True when one problem's file or error mentions every word (case-insensitive). */
  public boolean hasProblemMentioning(String... words) {
    for (JsonObject p : problems()) {
      String text = (p.getString("file", "") + " " + p.getString("error", "")).toLowerCase(Locale.ROOT);
      boolean all = true;
      for (String w : words) {
        all &= text.contains(w.toLowerCase(Locale.ROOT));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private JsonObject keys() {
    return json.getJsonObject("keys", new JsonObject());
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> list.add(String.valueOf(v)));
    }
    return list;
  }

  @Override
  public String toString() {
    return node + " " + httpStatus + " " + json.encode();
  }
}
