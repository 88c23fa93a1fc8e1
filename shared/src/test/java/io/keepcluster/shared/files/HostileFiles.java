package io.keepcluster.shared.files;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Makes the files a hostile operator drops: FIFOs, links to devices, sparse giants. Linux. */
public final class HostileFiles {

  public static final long ONE_GIB = 1024L * 1024 * 1024;

  private HostileFiles() {}

  /** A FIFO at {@code path} ({@code mkfifo}); skips the test where there is none. */
  public static Path fifo(Path path) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available: " + e.getMessage());
      throw e;
    }
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("mkfifo " + path + " failed");
    }
    return path;
  }

  /** A symbolic link at {@code path} to {@code /dev/zero}. */
  public static Path linkToDevZero(Path path) throws IOException {
    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero");
    return Files.createSymbolicLink(path, zero);
  }

  /** A sparse file of {@code size} bytes: costs no disk. */
  public static Path sparse(Path path, long size) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(size);
    }
    return path;
  }
}
