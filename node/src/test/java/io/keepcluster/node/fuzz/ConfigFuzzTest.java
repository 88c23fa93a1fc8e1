package io.keepcluster.node.fuzz;

import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.NodeConfigParser;
import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the configuration path: a mutated overlay file and environment go through
 * {@link ConfigOverlay#effective} (only {@link ConfigFileException}, the documented invalid-JSON
 * error, may escape) and then {@link NodeConfigParser#parse} (only {@link ConfigException}).
 */
class ConfigFuzzTest {

  private static final List<String> ENV_KEYS = List.of("PORT", "HEALTHCHECKPORT", "MANAGMENTPORT",
      "MANAGEMENTPORT", "METRICSPORT", "BIND", "KEEP_CLUSTER_NAME", "KEEP_CLUSTER_MEMBERS",
      "KEEP_CLUSTER_PORT", "KEEP_CLUSTER_INTERFACE", "KEEP_CLUSTER_SECRET", "KEEP_PUBLIC_URL");

  @TempDir Path dir;

  record Input(String overlay, Map<String, String> env) {}

  private static Input input(Random r, JsonObject defaults) {
    JsonObject seed = r.nextBoolean() ? defaults : new JsonObject()
        .put("cluster", new JsonObject().put("name", "prod").put("members", List.of("10.0.0.1:5701"))
            .put("port", 5701).put("kubernetes", new JsonObject().put("service-name", "keep")))
        .put("lockout", new JsonObject().put("attempts", 5).put("minutes", 60))
        .put("jwt", new JsonObject().put("static", new JsonObject().put("active", true).put("kid", "k1")));
    String overlay = switch (r.nextInt(4)) {
      case 0 -> Mutations.mutate(r, seed.encode());
      case 1, 2 -> Mutations.mutate(r, seed).encode();
      default -> Mutations.deep(r, 1 + r.nextInt(3000));
    };
    Map<String, String> env = new HashMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      String value = switch (r.nextInt(4)) {
        case 0 -> String.valueOf(r.nextInt(200000) - 100000);
        case 1 -> Mutations.DICTIONARY[r.nextInt(Mutations.DICTIONARY.length)];
        case 2 -> "10.0.0.1:5701," + Mutations.mutate(r, "10.0.0.2:5701");
        default -> Mutations.randomText(r);
      };
      env.put(ENV_KEYS.get(r.nextInt(ENV_KEYS.size())), value);
    }
    return new Input(overlay, env);
  }

  @Test
  @DisplayName("mutated overlays and environments: only ConfigFileException or ConfigException escape")
  void overlayAndParser() {
    ConfigOverlay overlay = ConfigOverlay.withBundledDefaults();
    Fuzz.run("ConfigOverlay + NodeConfigParser", Fuzz.tries(2000), r -> input(r, overlay.defaults()), in -> {
      // getBytes replaces a lone surrogate by "?"; invalid UTF-8 comes from the byte mutations.
      Files.write(dir.resolve("50-fuzz.json"), in.overlay().getBytes(StandardCharsets.UTF_8));
      JsonObject raw;
      try {
        raw = overlay.effective(dir, in.env());
      } catch (ConfigFileException refused) {
        return;
      }
      try {
        NodeConfigParser.parse(dir, raw, in.env());
      } catch (ConfigException refused) {
        // the documented outcome
      }
    });
  }
}
