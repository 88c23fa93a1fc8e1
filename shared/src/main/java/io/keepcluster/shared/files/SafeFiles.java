package io.keepcluster.shared.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Reads and creates files in a folder that a careless or hostile operator may fill: a FIFO, a
 * device, a socket, a directory or a huge file must never hang, exhaust or fool the node.
 *
 * <p>Reading: only regular files are opened. The type and size are checked before the file is
 * opened (a FIFO is never opened: opening one blocks until a writer appears), and the read itself
 * is bounded, so a file swapped for {@code /dev/zero} after the check still costs at most
 * {@code maxBytes + 1} bytes. A symbolic link is followed (Kubernetes mounts secrets as links
 * into {@code ..data/}); what is checked is the type and size of its target.
 *
 * <p>Creating: {@link #createNew} never follows a symbolic link and never reuses an existing file,
 * so a link planted where the node puts a temporary file cannot redirect the write.
 *
 * <p>Failures never carry a path, only the file's name and a reason.
 */
public final class SafeFiles {

  /** Largest keyset descriptor or config overlay read: config JSON is a few KiB. */
  public static final long MAX_JSON_BYTES = 1024 * 1024;
  /** Largest PEM file read: a certificate chain or an RSA-4096 key is a few KiB. */
  public static final long MAX_PEM_BYTES = 64 * 1024;

  private static final int S_IFMT = 0170000;

  private SafeFiles() {}

  /**
   * The text of {@code path} (UTF-8) if it is, or links to, a regular file of at most
   * {@code maxBytes}.
   *
   * @throws RefusedFileException not a regular file, or too large (nothing is read then)
   * @throws IOException it cannot be read ({@link #reason(IOException)} describes it without a path)
   */
  public static String readText(Path path, long maxBytes) throws IOException {
    return new String(readBytes(path, maxBytes), StandardCharsets.UTF_8);
  }

  /** As {@link #readText}, the bytes. */
  public static byte[] readBytes(Path path, long maxBytes) throws IOException {
    String name = nameOf(path);
    BasicFileAttributes attributes = checkRegular(path);
    if (attributes.size() > maxBytes) {
      throw tooLarge(name, attributes.size(), maxBytes);
    }
    // Bounded read: the file may have been swapped or grown since the check.
    try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ)) {
      byte[] bytes = in.readNBytes((int) maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new RefusedFileException(name, "file too large (more than " + maxBytes
            + " bytes, at most " + maxBytes + ")");
      }
      return bytes;
    }
  }

  /**
   * The attributes of the regular file {@code path} is or links to.
   *
   * @throws RefusedFileException when it is a FIFO, device, socket, directory or other special file
   */
  public static BasicFileAttributes checkRegular(Path path) throws IOException {
    String name = nameOf(path);
    BasicFileAttributes own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    BasicFileAttributes target = own;
    if (own.isSymbolicLink()) {
      try {
        target = Files.readAttributes(path, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw new RefusedFileException(name, "symbolic link to a missing file");
      } catch (FileSystemLoopException e) {
        throw new RefusedFileException(name, "symbolic link loop");
      }
    }
    if (!target.isRegularFile()) {
      String type = typeOf(path, target);
      throw new RefusedFileException(name, own.isSymbolicLink()
          ? "not a regular file (symbolic link to a " + type + ")"
          : "not a regular file (" + type + ")");
    }
    return target;
  }

  /** The refusal for a file of {@code size} bytes where at most {@code max} are allowed. */
  public static RefusedFileException tooLarge(String fileName, long size, long max) {
    return new RefusedFileException(fileName, "file too large (" + size + " bytes, at most " + max + ")");
  }

  /**
   * Creates {@code path} with {@code content}, failing if anything exists there, a symbolic link
   * included (dangling or not): nothing is ever created or written at a link's target. The data
   * is forced to disk before the file is closed.
   */
  public static void createNew(Path path, String content, FileAttribute<?>... attributes) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.SYNC, LinkOption.NOFOLLOW_LINKS);
    try (SeekableByteChannel channel = Files.newByteChannel(path, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(nameOf(path), null,
          Files.isSymbolicLink(path) ? "a symbolic link is in the way; it is never followed" : "exists already");
    }
  }

  /**
   * Why {@code e} happened, without the absolute paths JDK messages carry
   * ({@code NoSuchFileException.getMessage()} is the path itself).
   */
  public static String reason(IOException e) {
    if (e instanceof RefusedFileException refused) {
      return refused.reason();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getReason() != null ? exists.getReason() : "exists already";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemLoopException) {
      return "symbolic link loop";
    }
    if (e instanceof java.nio.file.FileSystemException fs) {
      // getMessage() is "path: reason"; the reason alone is what an operator needs.
      return fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
    }
    // A plain IOException (a failed write, our own refusals) carries no path.
    return e.getClass() == IOException.class && e.getMessage() != null ? e.getMessage()
        : e.getClass().getSimpleName();
  }

  /** The kind of file {@code attributes} describe: {@code fifo}, {@code character device}, ... */
  static String typeOf(Path path, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "directory";
    }
    if (attributes.isRegularFile()) {
      return "regular file";
    }
    try {
      Object mode = Files.getAttribute(path, "unix:mode");
      if (mode instanceof Integer bits) {
        switch (bits & S_IFMT) {
          case 0010000: return "fifo";
          case 0020000: return "character device";
          case 0060000: return "block device";
          case 0140000: return "socket";
          default: break;
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no "unix" view on this platform: fall through
    }
    return "special file";
  }

  private static String nameOf(Path path) {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }
}
