package io.meshcode.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/** Who this process runs as, in the terms the file system uses for a file's owner. */
public final class CurrentUser {

  private CurrentUser() {
  }

  /**
   * The effective uid on Linux, macOS and the other POSIX systems: the owner of {@code /proc/self}
   * where there is one, else the owner of a file this process creates.
   *
   * @throws IllegalStateException where the file system has no uids (Windows)
   */
  public static int uid() {
    return Holder.UID;
  }

  /** Root on a POSIX system; never on Windows (an administrator there is no uid 0). */
  public static boolean isRoot() {
    return Os.current() != Os.WINDOWS && uid() == 0;
  }

  /** The owner of the files this process creates (on Windows, the user or the Administrators group). */
  public static UserPrincipal principal() {
    return Holder.PRINCIPAL;
  }

  private static final class Holder {
    static final int UID = readUid();
    static final UserPrincipal PRINCIPAL = readPrincipal();

    private static int readUid() {
      Path proc = Path.of("/proc/self");
      try {
        if (Files.exists(proc)) {
          return (Integer) Files.getAttribute(proc, "unix:uid");
        }
        return ofNewFile(file -> (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("Cannot tell this process's user id: " + e.getMessage(), e);
      }
    }

    private static UserPrincipal readPrincipal() {
      try {
        return ofNewFile(file -> Files.getOwner(file, LinkOption.NOFOLLOW_LINKS));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("Cannot tell which user this process runs as: " + e.getMessage(), e);
      }
    }
  }

  private interface FileProperty<T> {
    T read(Path file) throws IOException;
  }

  /** A property of a file this process has just created (then deleted) in {@code java.io.tmpdir}. */
  private static <T> T ofNewFile(FileProperty<T> property) throws IOException {
    Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    Path probe = Files.createTempFile(dir, ".meshcode-owner-", ".probe");
    try {
      return property.read(probe);
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
