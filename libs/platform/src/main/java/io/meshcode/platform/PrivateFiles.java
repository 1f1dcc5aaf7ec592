package io.meshcode.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and folders only their owner may use, on every platform: made 0700/0600 where the file
 * system has POSIX modes (Linux, macOS), given a user-only ACL where it has ACLs (Windows). Every
 * file that holds a secret, and every folder that holds such files or programs that are run, is
 * made through here.
 */
public final class PrivateFiles {

  private PrivateFiles() {
  }

  /** The attribute that creates {@code path} (a folder, or a file its owner may run or not) private from birth. */
  public static FileAttribute<?> attribute(Path path, boolean directory, boolean executable) {
    return OwnerOnly.of(path.getFileSystem()).attribute(directory, executable);
  }

  /** A folder only its owner may enter: created so if missing (with its missing parents), tightened if not. */
  public static Path directory(Path dir) throws IOException {
    OwnerOnly way = OwnerOnly.of(dir.getFileSystem());
    Files.createDirectories(dir, way.attribute(true, false));
    way.restrict(dir, true);
    return dir;
  }

  /** Creates {@code file}, empty and private (runnable by its owner when {@code executable}). */
  public static Path createFile(Path file, boolean executable) throws IOException {
    OwnerOnly way = OwnerOnly.of(file.getFileSystem());
    Path created = Files.createFile(file, way.attribute(false, executable));
    way.created(created, false);
    return created;
  }

  /** A new private folder in {@code parent}. */
  public static Path createTempDirectory(Path parent, String prefix) throws IOException {
    OwnerOnly way = OwnerOnly.of(parent.getFileSystem());
    Path created = Files.createTempDirectory(parent, prefix, way.attribute(true, false));
    way.created(created, true);
    return created;
  }

  /** A new private, empty file in {@code parent}. */
  public static Path createTempFile(Path parent, String prefix, String suffix) throws IOException {
    OwnerOnly way = OwnerOnly.of(parent.getFileSystem());
    Path created = Files.createTempFile(parent, prefix, suffix, way.attribute(false, false));
    way.created(created, false);
    return created;
  }

  /** Writes {@code text} to {@code file}, replacing it as a whole: a private file moved into place. */
  public static void write(Path file, String text) throws IOException {
    Path tmp = createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Appends a line to {@code file}, creating it private. */
  public static void append(Path file, String line) throws IOException {
    OwnerOnly way = OwnerOnly.of(file.getFileSystem());
    boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    try (var channel = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), way.attribute(false, false))) {
      channel.write(ByteBuffer.wrap((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
    }
    if (!existed) {
      way.created(file, false);
    }
  }

  /** Makes one existing file or folder private (a file its owner may run stays runnable). */
  public static void restrict(Path path) throws IOException {
    OwnerOnly.of(path.getFileSystem()).restrict(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Makes {@code dir} and everything under it private (links are left alone). For data written
   * before these rules; cheap when nothing needs changing.
   */
  public static void restrictTree(Path dir) throws IOException {
    directory(dir);
    OwnerOnly way = OwnerOnly.of(dir.getFileSystem());
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (!Files.isSymbolicLink(path)) {
          way.restrict(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
        }
      }
    }
  }

  /** Whether a user other than the owner may change {@code path} (a file's bytes, a folder's entries). */
  public static boolean writableByOthers(Path path) throws IOException {
    return OwnerOnly.of(path.getFileSystem()).writableByOthers(path);
  }

  /** Whether {@code path} belongs to the user this process runs as. */
  public static boolean ownedByCurrentUser(Path path) throws IOException {
    return OwnerOnly.of(path.getFileSystem()).ownedByCurrentUser(path);
  }
}
