package io.meshcode.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Small helpers shared by the embedded servers. */
final class Support {

  static final String LOOPBACK = "127.0.0.1";
  static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  /** Bits that let another user change a file or a folder's entries. */
  private static final Set<PosixFilePermission> WRITE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private Support() {
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    }
  }

  /** Surefire may point java.io.tmpdir at a folder nobody created; zonky and Kafka's native libraries write there. */
  static Path ensureTmpDir() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * The last {@code maxLines} lines of {@code file} from byte {@code offset} on, or a note if
   * unreadable. Stack frames are left out: the exception messages say more in few lines.
   */
  static String tail(Path file, long offset, int maxLines) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long from = Math.max(offset, size - 64 * 1024);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, size - from));
      channel.read(buffer, from);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      Deque<String> lines = new ArrayDeque<>();
      for (String line : text.split("\\R")) {
        if (line.startsWith("\tat ") || line.startsWith("\t... ")) {
          continue;
        }
        lines.addLast(line);
        if (lines.size() > maxLines) {
          lines.removeFirst();
        }
      }
      return String.join(System.lineSeparator(), lines);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** A folder only its owner may enter: created 0700 if missing, tightened to 0700 if not. */
  static Path ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir, asAttribute(OWNER_DIR));
    if (!Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) {
      Files.setPosixFilePermissions(dir, OWNER_DIR);
    }
    return dir;
  }

  /**
   * Makes everything under {@code dir} its owner's alone: folders 0700, files 0600 (0700 if the
   * owner may run them). For data written before these modes were the rule; cheap when nothing
   * needs changing.
   */
  static void restrictToOwner(Path dir) throws IOException {
    ownerOnlyDirectory(dir);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(path)) {
          continue;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? OWNER_DIR
            : current.contains(PosixFilePermission.OWNER_EXECUTE) ? OWNER_DIR : OWNER_FILE;
        if (!current.equals(wanted)) {
          Files.setPosixFilePermissions(path, wanted);
        }
      }
    }
  }

  /** Appends a line to {@code file}, creating it 0600. */
  static void appendOwnerOnly(Path file, String line) throws IOException {
    try (var channel = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), asAttribute(OWNER_FILE))) {
      channel.write(ByteBuffer.wrap((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Writes {@code text} to {@code file} (replacing it), readable by the owner only. */
  static void writeOwnerOnly(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", asAttribute(OWNER_FILE));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  /** Whether a user other than the owner may write {@code path} (a file's bytes, a folder's entries). */
  static boolean writableByOthers(Path path) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    return permissions.stream().anyMatch(WRITE_BY_OTHERS::contains);
  }

  /** The uid of {@code path}'s owner. */
  static int ownerUid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  /** This process's effective uid (the owner of its /proc entry). */
  static int currentUid() {
    return UidHolder.UID;
  }

  private static final class UidHolder {
    static final int UID = readUid();

    private static int readUid() {
      try {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("Cannot tell this process's user id from /proc/self: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The command line that starts {@code command} with umask 077 (every file it creates is its
   * owner's alone) and, where the {@code setsid} tool exists, in a session of its own, so a Ctrl-C
   * at the terminal reaches only the launcher, which stops its children in its own order. Both
   * {@code exec} in place: the process keeps the pid of the one started.
   */
  static List<String> ownerOnlySession(List<String> command) {
    List<String> line = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
        "umask 077; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\"; else exec \"$@\"; fi", "sh"));
    line.addAll(command);
    return line;
  }

  /** Removes a JVM shutdown hook unless the JVM is already shutting down (then it is running or ran). */
  static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Nothing to undo.
    }
  }
}
