package io.keepcluster.node.keys.lifecycle;

import io.keepcluster.shared.files.SafeFiles;
import io.keepcluster.shared.keys.KeysetExistsException;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes replicated keysets into this node's own folder, so any node can restart alone with
 * every key. Never overwrites a file: a NAME whose files exist is left alone (a different key
 * there is a conflict the lifecycle reports). Copies written here carry {@code "replicatedFrom"} in
 * their descriptor, which is how a later retirement knows the copy is ours to deactivate.
 */
public final class KeysetPersistence {

  static final String REPLICATED_FROM = "replicatedFrom";
  private static final Logger LOG = LoggerFactory.getLogger(KeysetPersistence.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  public KeysetPersistence(Path dir) {
    this.dir = dir;
  }

  /** Writes the four files unless any of them already exists; true when it wrote them. */
  boolean persist(KeysetRecord record, Map<String, String> problems) {
    KeysetName name = KeysetName.of(record.kid());
    if (KeysetFiles.fileNames(name).stream().anyMatch(f -> Files.exists(dir.resolve(f)))) {
      return false;
    }
    KeysetFiles files = record.files();
    JsonObject descriptor = new JsonObject(files.descriptorJson()).put(REPLICATED_FROM, record.origin());
    try {
      new KeysetFiles(name, descriptor.encodePrettily(), files.certificatePem(), files.privateKeyPem(),
          files.publicKeyPem()).writeTo(dir);
      LOG.info("event=keyset_persisted kid={} dir={} origin={}", name.value(), dir, record.origin());
      return true;
    } catch (KeysetExistsException e) {
      // Someone (the operator, or a copy in progress) is writing this NAME right now: leave it.
      return false;
    } catch (IOException e) {
      problems.put(KeysetFiles.descriptorFileName(name), "cannot persist replicated keyset: " + SafeFiles.reason(e));
      return false;
    }
  }

  /** Rewrites this node's replicated copy (never the operator's own files) with {@code "active": false}, so a restart keeps it retired. */
  void markRetired(String kid) {
    Path descriptorFile = dir.resolve(kid + ".json");
    try {
      // Bounded, regular files only: the operator may have put anything under this name.
      JsonObject descriptor = new JsonObject(SafeFiles.readText(descriptorFile, SafeFiles.MAX_JSON_BYTES));
      if (!descriptor.containsKey(REPLICATED_FROM) || Boolean.FALSE.equals(descriptor.getValue("active"))) {
        return;
      }
      descriptor.put("active", false);
      // CREATE_NEW without following links: a link planted under the temp name is never written through.
      Path temp = dir.resolve("." + kid + ".json." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
      SafeFiles.createNew(temp, descriptor.encodePrettily());
      try {
        Files.move(temp, descriptorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      LOG.info("event=keyset_copy_deactivated kid={} dir={}", kid, dir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=keyset_copy_deactivate_failed kid={} reason=\"{}\"", kid,
          e instanceof IOException io ? SafeFiles.reason(io) : e.toString());
    }
  }

  /** Deletes the four files of {@code kid} (the planner checked they hold the key being removed). */
  void delete(String kid) {
    try {
      KeysetFiles.deleteFrom(dir, KeysetName.of(kid));
    } catch (IOException e) {
      LOG.warn("event=keyset_files_delete_failed kid={} reason=\"{}\"", kid, e.getMessage());
      return;
    }
    LOG.info("event=keyset_files_deleted kid={} dir={}", kid, dir);
  }
}
