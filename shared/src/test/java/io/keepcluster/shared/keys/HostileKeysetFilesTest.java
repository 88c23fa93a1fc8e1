package io.keepcluster.shared.keys;

import static io.keepcluster.shared.keys.ExternalTools.writeDescriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.files.HostileFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The loader, the overlay reader and the keyset writer against files a hostile operator drops. */
@DisplayName("hostile files in keepconfig.d")
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileKeysetFilesTest {

  @TempDir Path dir;
  private final KeysetLoader loader = new KeysetLoader();

  private KeysetLoadException refuse(KeysetDescriptor descriptor) {
    return assertThrows(KeysetLoadException.class, () -> loader.load(dir, descriptor));
  }

  @Test
  @DisplayName("a FIFO private key is refused as not a regular file (fifo), without blocking")
  void fifoKey() throws Exception {
    HostileFiles.fifo(dir.resolve("Evil.private.key.pem"));
    KeysetLoadException e = refuse(writeDescriptor(dir, "Evil", "Evil.private.key.pem", null, null, null));
    assertEquals("Evil.private.key.pem", e.fileName());
    assertEquals("not a regular file (fifo)", e.reason());
  }

  @Test
  @DisplayName("a private key linked to /dev/zero is refused without reading it")
  void devZeroKey() throws Exception {
    HostileFiles.linkToDevZero(dir.resolve("Zero.private.key.pem"));
    KeysetLoadException e = refuse(writeDescriptor(dir, "Zero", "Zero.private.key.pem", null, null, null));
    assertEquals("Zero.private.key.pem", e.fileName());
    assertEquals("not a regular file (symbolic link to a character device)", e.reason());
  }

  @Test
  @DisplayName("a descriptor pointing at /dev/zero by absolute path is refused the same way")
  void absoluteDevZero() throws Exception {
    String json = "{\"JwtUsePubPrivKey\": true, \"JwtPrivateKeyFile\": \"/dev/zero\"}";
    KeysetDescriptor descriptor = KeysetDescriptor.parse("Abs.json", json).orElseThrow();
    KeysetLoadException e = refuse(descriptor);
    assertEquals("zero", e.fileName());
    assertEquals("not a regular file (character device)", e.reason());
  }

  @Test
  @DisplayName("a sparse 1 GiB private key is refused unread with its size and the 64 KiB cap")
  void hugeKey() throws Exception {
    HostileFiles.sparse(dir.resolve("Huge.private.key.pem"), HostileFiles.ONE_GIB);
    KeysetLoadException e = refuse(writeDescriptor(dir, "Huge", "Huge.private.key.pem", null, null, null));
    assertEquals("file too large (1073741824 bytes, at most 65536)", e.reason());
  }

  @Test
  @DisplayName("a missing key file's reason names no directory")
  void missingFileHasNoPath() throws Exception {
    KeysetLoadException e = refuse(writeDescriptor(dir, "Gone", "Gone.private.key.pem", null, null, null));
    assertFalse(e.reason().contains(dir.toString()), e.reason());
  }

  @Test
  @DisplayName("overlays: a sparse 1 GiB JSON, a directory and a FIFO named *.json are refused by name")
  void overlays() throws Exception {
    HostileFiles.sparse(dir.resolve("Huge.json"), HostileFiles.ONE_GIB);
    Files.createDirectory(dir.resolve("Dir.json"));
    HostileFiles.fifo(dir.resolve("Pipe.json"));
    Map<String, String> reasons = Map.of(
        "Huge.json", "file too large (1073741824 bytes, at most 1048576)",
        "Dir.json", "not a regular file (directory)",
        "Pipe.json", "not a regular file (fifo)");
    assertEquals(reasons.keySet(), ConfigOverlay.overlayFiles(dir).stream()
        .map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    for (var entry : reasons.entrySet()) {
      ConfigFileException e = assertThrows(ConfigFileException.class,
          () -> ConfigOverlay.read(dir.resolve(entry.getKey())));
      assertEquals(entry.getKey(), e.fileName());
      assertEquals(entry.getValue(), e.reason());
    }
  }

  @Test
  @DisplayName("a planted claim-file link fails the write; nothing is created at its target or in the folder")
  void plantedClaimLink(@TempDir Path elsewhere) throws Exception {
    Path target = elsewhere.resolve("victim");
    Files.createSymbolicLink(dir.resolve(".K.claim.tmp"), target);
    KeysetFiles files = new KeysetGenerator().generate(KeysetName.of("K"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC());
    IOException e = assertThrows(IOException.class, () -> files.writeTo(dir));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
    assertFalse(Files.exists(target), "nothing created at the link's target");
    for (String file : KeysetFiles.fileNames(KeysetName.of("K"))) {
      assertFalse(Files.exists(dir.resolve(file)), file);
    }
  }

  @Test
  @DisplayName("a planted FIFO claim file fails the write without blocking")
  void plantedClaimFifo() throws Exception {
    HostileFiles.fifo(dir.resolve(".K.claim.tmp"));
    KeysetFiles files = new KeysetGenerator().generate(KeysetName.of("K"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC());
    IOException e = assertThrows(IOException.class, () -> files.writeTo(dir));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  @DisplayName("a stale regular claim file left by a crashed writer does not block the NAME")
  void staleClaim() throws Exception {
    Files.writeString(dir.resolve(".K.claim.tmp"), "");
    new KeysetGenerator().generate(KeysetName.of("K"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()).writeTo(dir);
    assertTrue(Files.exists(dir.resolve("K.json")));
  }
}
