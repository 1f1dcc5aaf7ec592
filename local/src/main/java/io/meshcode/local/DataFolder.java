package io.meshcode.local;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local mesh's data folder ({@code ~/.meshcode/dev}): PostgreSQL's cluster, the broker's log,
 * the internal-token keys and the owner key, and the lock that keeps a second mesh off it.
 */
final class DataFolder implements AutoCloseable {

  private static final String LOCK_FILE = "mesh.lock";
  private static final String OWNER_KEY_FILE = "owner.key";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataFolder(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The folder to use: {@code $MESHCODE_HOME/dev}, else {@code ~/.meshcode/dev}. */
  static Path locate(Optional<String> meshcodeHome) {
    Path home = meshcodeHome.map(Path::of).orElseGet(() -> Path.of(System.getProperty("user.home"), ".meshcode"));
    return home.toAbsolutePath().resolve("dev");
  }

  /**
   * Takes the folder for this process; empty when another live mesh holds it. The folder is its
   * owner's alone (0700, or a user-only ACL on Windows): it holds the database's password, the
   * keys and the broker's data.
   */
  static Optional<DataFolder> lock(Path root) throws IOException {
    PrivateFiles.directory(root);
    FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
    return Optional.of(new DataFolder(root, channel, lock));
  }

  /** The pid the lock file names, for the "already running" message. */
  static String holderPid(Path root) {
    try {
      return Files.readString(root.resolve(LOCK_FILE)).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  Path root() {
    return root;
  }

  Path postgres() {
    return root.resolve("postgres");
  }

  Path kafka() {
    return root.resolve("kafka");
  }

  Path keys() {
    return root.resolve("keys");
  }

  /** Deletes everything but the lock (which this process holds). */
  void wipe() throws IOException {
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (!child.getFileName().toString().equals(LOCK_FILE)) {
          deleteTree(child);
        }
      }
    }
  }

  InternalKeys internalKeys() throws IOException {
    return InternalKeys.loadOrCreate(keys());
  }

  Optional<String> ownerKey() throws IOException {
    Path file = root.resolve(OWNER_KEY_FILE);
    return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
  }

  /** Keeps the owner key (private: 0600) so every start can print it; the server itself stores only its hash. */
  void saveOwnerKey(String key) throws IOException {
    PrivateFiles.write(root.resolve(OWNER_KEY_FILE), key + "\n");
  }

  Path ownerKeyFile() {
    return root.resolve(OWNER_KEY_FILE);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
