package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetFilesTest {

  private static final KeysetGenerator GENERATOR = new KeysetGenerator();

  @TempDir
  Path dir;

  private static KeysetFiles generate(String name) {
    return GENERATOR.generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC());
  }

  private List<String> listing() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @DisplayName("writing creates exactly the four NAME files")
  void writesFourFiles() throws Exception {
    generate("k1").writeTo(dir);
    assertEquals(List.of("k1.cert.pem", "k1.json", "k1.private.key.pem", "k1.public.key.pem"), listing());
  }

  @Test
  @DisplayName("the private key file has mode 0600, the others are readable")
  void privateKeyMode() throws Exception {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX file system");
    generate("k1").writeTo(dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k1.private.key.pem"))));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k1.public.key.pem"))));
  }

  @Test
  @DisplayName("writing an existing NAME throws KeysetExistsException and leaves the existing files unchanged")
  void neverOverwrites() throws Exception {
    KeysetFiles first = generate("k1");
    first.writeTo(dir);
    KeysetFiles second = generate("k1");
    KeysetExistsException e = assertThrows(KeysetExistsException.class, () -> second.writeTo(dir));
    assertEquals(KeysetName.of("k1"), e.name());
    assertEquals(first.privateKeyPem(), Files.readString(dir.resolve("k1.private.key.pem")));
    assertEquals(first.descriptorJson(), Files.readString(dir.resolve("k1.json")));
    assertEquals(first.certificatePem(), Files.readString(dir.resolve("k1.cert.pem")));
    assertEquals(4, listing().size());
  }

  @Test
  @DisplayName("any one existing NAME file, even a lone public key, blocks the write")
  void anyExistingFileBlocks() throws Exception {
    Files.writeString(dir.resolve("k1.public.key.pem"), "operator's file");
    assertThrows(KeysetExistsException.class, () -> generate("k1").writeTo(dir));
    assertEquals(List.of("k1.public.key.pem"), listing());
    assertEquals("operator's file", Files.readString(dir.resolve("k1.public.key.pem")));
  }

  @Test
  @DisplayName("no temporary files are left behind after writing")
  void noTempLeftovers() throws Exception {
    generate("k1").writeTo(dir);
    generate("k2").writeTo(dir);
    assertThrows(KeysetExistsException.class, () -> generate("k2").writeTo(dir));
    assertTrue(listing().stream().noneMatch(n -> n.endsWith(".tmp") || n.startsWith(".")), listing().toString());
  }

  @Test
  @DisplayName("a NAME being written by another writer is refused and its claim left alone")
  void concurrentWriterRefused() throws Exception {
    Path claim = dir.resolve(".k1.claim.tmp");
    try (FileChannel channel = FileChannel.open(claim, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.lock()) {
      KeysetExistsException e = assertThrows(KeysetExistsException.class, () -> generate("k1").writeTo(dir));
      assertTrue(e.getMessage().contains("being written by another writer"), e.getMessage());
      assertTrue(Files.exists(claim));
    }
  }

  @Test
  @DisplayName("a claim file left by a crashed writer does not block the NAME")
  void staleClaimIgnored() throws Exception {
    Files.writeString(dir.resolve(".k1.claim.tmp"), "");
    generate("k1").writeTo(dir);
    assertEquals(List.of("k1.cert.pem", "k1.json", "k1.private.key.pem", "k1.public.key.pem"), listing());
  }

  @Test
  @DisplayName("toString never shows the private key")
  void toStringRedacts() {
    KeysetFiles files = generate("k1");
    assertTrue(files.toString().contains("redacted"));
    assertTrue(!files.toString().contains("PRIVATE KEY"));
  }
}
