package io.keepcluster.node.providers.replication;

import io.keepcluster.node.providers.ProviderConfigParser;
import io.keepcluster.shared.files.SafeFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the providers this node holds as copies of the cluster's into its own folder, so a node
 * restarting alone keeps them: one config overlay, {@code DIR/providers-replicated.json}
 * ({@code {"jwt": {NAME: {..., "replicatedFrom": WRITER}}}}), and one
 * {@code providers-replicated.NAME.pub.pem} per static provider. Every file is written to a new
 * temporary file and moved into place atomically, and only when its content changed. The
 * operator's own files are never written.
 */
public final class ProviderPersistence {

  public static final String OVERLAY = "providers-replicated.json";
  private static final Logger LOG = LoggerFactory.getLogger(ProviderPersistence.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  public ProviderPersistence(Path dir) {
    this.dir = dir;
  }

  static String keyFileName(String name) {
    return "providers-replicated." + name + ".pub.pem";
  }

  /**
   * Makes the overlay hold exactly {@code copies}.
   *
   * @return a problem to report, or empty when the folder holds them
   */
  Optional<String> persist(Map<String, ProviderStore.Stored> copies) {
    JsonObject jwt = new JsonObject();
    try {
      for (ProviderStore.Stored copy : copies.values().stream()
          .sorted(java.util.Comparator.comparing(s -> s.definition().name())).toList()) {
        ProviderDefinition definition = copy.definition();
        JsonObject settings = definition.settings();
        settings.remove("keyFile");
        if (definition.keyPem().isPresent()) {
          String keyFile = keyFileName(definition.name());
          writeIfChanged(dir.resolve(keyFile), definition.keyPem().get());
          settings.put("keyFile", keyFile);
        }
        jwt.put(definition.name(), settings.put(ProviderConfigParser.REPLICATED_FROM, copy.writer()));
      }
      JsonObject overlay = new JsonObject().put("jwt", jwt);
      Path file = dir.resolve(OVERLAY);
      if (jwt.isEmpty() && !Files.exists(file)) {
        return Optional.empty();
      }
      if (!overlay.equals(current(file))) {
        writeIfChanged(file, overlay.encodePrettily());
        LOG.info("event=providers_persisted dir={} file={} providers={}", dir, OVERLAY, jwt.fieldNames());
      }
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("event=providers_persist_failed dir={} reason=\"{}\"", dir, SafeFiles.reason(e));
      return Optional.of("cannot persist replicated providers: " + SafeFiles.reason(e));
    }
  }

  private static JsonObject current(Path file) {
    try {
      return new JsonObject(SafeFiles.readText(file, SafeFiles.MAX_JSON_BYTES));
    } catch (IOException | DecodeException e) {
      return null;
    }
  }

  private void writeIfChanged(Path file, String text) throws IOException {
    if (Files.isRegularFile(file)) {
      try {
        if (SafeFiles.readText(file, SafeFiles.MAX_JSON_BYTES).equals(text)) {
          return;
        }
      } catch (IOException e) {
        // Unreadable: replaced below.
      }
    }
    // CREATE_NEW without following links: a link planted under the temp name is never written through.
    Path temp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
    SafeFiles.createNew(temp, text);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
