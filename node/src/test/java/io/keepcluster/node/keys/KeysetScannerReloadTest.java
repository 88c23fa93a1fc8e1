package io.keepcluster.node.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner reloads only the keysets whose own files changed (issue 12: linear, not N per change). */
class KeysetScannerReloadTest {

  @TempDir
  Path dir;

  private void write(String name) throws Exception {
    new KeysetGenerator().generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC())
        .writeTo(dir);
  }

  @Test
  @DisplayName("a changed key file reloads its own keyset; the others are the same loaded objects")
  void onlyTheChangedKeysetReloads() throws Exception {
    write("A");
    write("B");
    write("C");
    KeysetScanner scanner = new KeysetScanner(dir);
    KeysetScan first = scanner.scan();
    assertEquals(3, first.loaded().size());

    Path cert = dir.resolve(KeysetFiles.certificateFileName(KeysetName.of("B")));
    Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
    write("D");
    KeysetScan second = scanner.scan();

    assertEquals(4, second.loaded().size());
    assertSame(first.loaded().get("A"), second.loaded().get("A"));
    assertSame(first.loaded().get("C"), second.loaded().get("C"));
    assertNotSame(first.loaded().get("B"), second.loaded().get("B"), "B's certificate changed: reloaded");
    assertEquals(first.loaded().get("B").fingerprint(), second.loaded().get("B").fingerprint());
  }

  @Test
  @DisplayName("a key file deleted under an unchanged descriptor is noticed: that keyset becomes a problem")
  void deletedKeyFileIsNoticed() throws Exception {
    write("A");
    write("B");
    KeysetScanner scanner = new KeysetScanner(dir);
    assertEquals(2, scanner.scan().loaded().size());

    Files.delete(dir.resolve(KeysetFiles.privateKeyFileName(KeysetName.of("A"))));
    KeysetScan after = scanner.scan();

    assertEquals(1, after.loaded().size());
    assertTrue(after.described().contains("A"));
    assertTrue(after.problems().containsKey(KeysetFiles.privateKeyFileName(KeysetName.of("A"))), after.problems().toString());
  }
}
