package io.keepcluster.shared.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every read is of a regular file of bounded size; every created file is new and not a link. */
@DisplayName("reading and creating files in a hostile folder")
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SafeFilesTest {

  @TempDir Path dir;

  private RefusedFileException refused(Path path, long max) {
    return assertThrows(RefusedFileException.class, () -> SafeFiles.readText(path, max));
  }

  @Test
  @DisplayName("a regular file within the cap is read")
  void regularFile() throws Exception {
    Files.writeString(dir.resolve("a.json"), "{\"a\":1}");
    assertEquals("{\"a\":1}", SafeFiles.readText(dir.resolve("a.json"), 100));
  }

  @Test
  @DisplayName("a FIFO is refused without being opened (no writer, no hang)")
  void fifo() throws Exception {
    Path fifo = HostileFiles.fifo(dir.resolve("X.private.key.pem"));
    RefusedFileException e = refused(fifo, SafeFiles.MAX_PEM_BYTES);
    assertEquals("not a regular file (fifo)", e.reason());
    assertEquals("X.private.key.pem", e.fileName());
  }

  @Test
  @DisplayName("a symbolic link to /dev/zero is refused as a link to a character device")
  void devZero() throws Exception {
    Path zero = HostileFiles.linkToDevZero(dir.resolve("Zero.private.key.pem"));
    assertEquals("not a regular file (symbolic link to a character device)",
        refused(zero, SafeFiles.MAX_PEM_BYTES).reason());
  }

  @Test
  @DisplayName("a sparse 1 GiB file is refused unread, with its size and the cap")
  void hugeFile() throws Exception {
    Path huge = HostileFiles.sparse(dir.resolve("Huge.json"), HostileFiles.ONE_GIB);
    assertEquals("file too large (1073741824 bytes, at most 1048576)",
        refused(huge, SafeFiles.MAX_JSON_BYTES).reason());
  }

  @Test
  @DisplayName("a directory is refused as not a regular file (directory)")
  void directory() throws Exception {
    Path d = Files.createDirectory(dir.resolve("X.json"));
    assertEquals("not a regular file (directory)", refused(d, SafeFiles.MAX_JSON_BYTES).reason());
  }

  @Test
  @DisplayName("a symbolic link to a regular file is followed (Kubernetes secret mounts), outside the folder too")
  void linkToRegularFileIsFollowed(@TempDir Path elsewhere) throws Exception {
    Path target = Files.writeString(elsewhere.resolve("mounted.pem"), "PEM");
    Path link = Files.createSymbolicLink(dir.resolve("K.private.key.pem"), target);
    assertEquals("PEM", SafeFiles.readText(link, SafeFiles.MAX_PEM_BYTES));
  }

  @Test
  @DisplayName("a link to a regular file over the cap is refused by the target's size")
  void linkToHugeFile(@TempDir Path elsewhere) throws Exception {
    Path target = HostileFiles.sparse(elsewhere.resolve("big"), 100_000);
    Path link = Files.createSymbolicLink(dir.resolve("K.private.key.pem"), target);
    assertEquals("file too large (100000 bytes, at most 65536)", refused(link, SafeFiles.MAX_PEM_BYTES).reason());
  }

  @Test
  @DisplayName("a dangling link is refused by name")
  void danglingLink() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("K.json"), dir.resolve("nowhere"));
    assertEquals("symbolic link to a missing file", refused(link, 10).reason());
  }

  @Test
  @DisplayName("createNew refuses a planted link and creates nothing at its target")
  void createNewNeverFollowsALink(@TempDir Path elsewhere) throws Exception {
    Path target = elsewhere.resolve("victim");
    Path link = Files.createSymbolicLink(dir.resolve(".x.tmp"), target);
    IOException e = assertThrows(IOException.class, () -> SafeFiles.createNew(link, "data"));
    assertFalse(Files.exists(target), "nothing created at the link's target");
    assertTrue(SafeFiles.reason(e).contains("symbolic link"), SafeFiles.reason(e));
    assertFalse(SafeFiles.reason(e).contains(dir.toString()), "no path in the reason");
  }

  @Test
  @DisplayName("reasons of JDK exceptions carry no path")
  void reasonsCarryNoPath() {
    IOException e = assertThrows(IOException.class, () -> SafeFiles.readText(dir.resolve("missing.json"), 10));
    assertEquals("no such file", SafeFiles.reason(e));
    assertFalse(new String(SafeFiles.reason(e).getBytes(StandardCharsets.UTF_8)).contains("/"));
  }
}
