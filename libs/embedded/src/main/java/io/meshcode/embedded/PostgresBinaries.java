package io.meshcode.embedded;

import io.meshcode.platform.CurrentUser;
import io.meshcode.platform.Os;
import io.meshcode.platform.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL's programs (zonky's build for this platform, a {@code .txz} on the classpath chosen by
 * {@link PostgresPlatform}), unpacked once per user into a folder only that user can write (the
 * user cache folder, see {@link #cacheRoot()}), made private, then {@code postgres-<crc>/} in it
 * with every folder and file private too ({@link PrivateFiles}: 0700/0600, or a user-only ACL on
 * Windows).
 *
 * <p>Whoever can write the programs a server runs owns the server and its data. So before each
 * use the folder is checked: everything in it must belong to this user and be writable by nobody
 * else, and it must have been completely unpacked. A folder that fails is unpacked anew; one
 * belonging to another user is refused. (Zonky unpacked into {@code /tmp/embedded-pg}, which it
 * made writable by every local user.)
 */
final class PostgresBinaries {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

  /** Overrides the cache folder (tests). */
  static final String CACHE_PROPERTY = "meshcode.cache.dir";
  /** Written last: a folder without it was not completely unpacked. */
  static final String COMPLETE_MARKER = ".meshcode-unpacked";

  private static final Object LOCK = new Object();

  private final Path home;
  private final PostgresPlatform platform;

  private PostgresBinaries(Path home, PostgresPlatform platform) {
    this.home = home;
    this.platform = platform;
  }

  /** The binaries in the user's cache folder, unpacked on first use and checked on every start. */
  static PostgresBinaries prepare() throws IOException {
    return prepare(cacheRoot());
  }

  static PostgresBinaries prepare(Path cacheRoot) throws IOException {
    return prepare(cacheRoot, PostgresPlatform.current(), PostgresBinaries.class.getClassLoader());
  }

  static PostgresBinaries prepare(Path cacheRoot, PostgresPlatform platform, ClassLoader classes) throws IOException {
    URL archive = classes.getResource(platform.archive());
    if (archive == null) {
      throw new IllegalStateException(platform.missing());
    }
    Path root = trustedRoot(cacheRoot);
    Path home = root.resolve("postgres-" + fingerprint(archive));
    synchronized (LOCK) {
      if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
        Optional<String> problem = problem(home);
        if (problem.isEmpty()) {
          return new PostgresBinaries(home, platform);
        }
        LOG.warn("Unpacking PostgreSQL again: {}", problem.get());
        deleteTree(home);
      }
      unpack(archive, root, home);
      Optional<String> problem = problem(home);
      if (problem.isPresent()) {
        throw new IOException("PostgreSQL's binaries just unpacked failed their check: " + problem.get());
      }
      return new PostgresBinaries(home, platform);
    }
  }

  Path home() {
    return home;
  }

  Path program(String name) {
    return home.resolve("bin").resolve(platform.executable(name));
  }

  /**
   * The command line that runs one of PostgreSQL's programs. PostgreSQL refuses to run as root, so
   * for root it runs in a user namespace of its own ({@code unshare -U}), as zonky did: there it
   * is an unprivileged user that still owns the files.
   */
  List<String> command(String program, List<String> args) {
    List<String> command = new ArrayList<>();
    if (RootNamespace.NEEDED) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(program(program).toString());
    command.addAll(args);
    return command;
  }

  /**
   * The user's cache folder for MeshCode: {@code $XDG_CACHE_HOME/meshcode} where that is set (to an
   * absolute path), else the platform's own: {@code ~/.cache/meshcode} (Linux),
   * {@code ~/Library/Caches/meshcode} (macOS), {@code %LOCALAPPDATA%\meshcode} (Windows).
   */
  static Path cacheRoot() {
    String override = System.getProperty(CACHE_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Path.of(override).toAbsolutePath();
    }
    return cacheRoot(Os.current(), System::getenv, Path.of(System.getProperty("user.home")));
  }

  static Path cacheRoot(Os os, UnaryOperator<String> env, Path userHome) {
    String xdg = env.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg).resolve("meshcode");
    }
    return switch (os) {
      case MAC -> userHome.resolve("Library").resolve("Caches").resolve("meshcode");
      case WINDOWS -> {
        String local = env.apply("LOCALAPPDATA");
        yield (local != null && !local.isBlank() && Path.of(local).isAbsolute() ? Path.of(local)
            : userHome.resolve("AppData").resolve("Local")).resolve("meshcode");
      }
      default -> userHome.resolve(".cache").resolve("meshcode");
    };
  }

  /** The cache folder, made private; refused if it belongs to someone else. */
  private static Path trustedRoot(Path root) throws IOException {
    Files.createDirectories(root, PrivateFiles.attribute(root, true, false));
    Path real = root.toRealPath();
    if (!PrivateFiles.ownedByCurrentUser(real)) {
      throw new IOException(real + " belongs to another user; PostgreSQL's binaries are not unpacked or run from it."
          + " Remove it, or set XDG_CACHE_HOME to a folder of your own");
    }
    return PrivateFiles.directory(real);
  }

  /** Why {@code home} may not be used, if it may not. */
  static Optional<String> problem(Path home) throws IOException {
    if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(home + " is not a folder");
    }
    if (!Files.exists(home.resolve(COMPLETE_MARKER), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(home + " was not completely unpacked");
    }
    try (Stream<Path> walk = Files.walk(home)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (!PrivateFiles.ownedByCurrentUser(path)) {
          return Optional.of(path + " belongs to another user");
        }
        if (Files.isSymbolicLink(path)) {
          if (!insideTree(home, path, Files.readSymbolicLink(path))) {
            return Optional.of(path + " links outside " + home);
          }
        } else if (PrivateFiles.writableByOthers(path)) {
          return Optional.of(path + " is writable by other users");
        }
      }
    }
    return Optional.empty();
  }

  /** Unpacks into a private folder beside {@code home}, then renames it into place. */
  private static void unpack(URL archive, Path root, Path home) throws IOException {
    long started = System.nanoTime();
    Path staging = PrivateFiles.createTempDirectory(root, ".unpacking-");
    try {
      try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
           TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          extract(tar, entry, staging);
        }
      }
      PrivateFiles.createFile(staging.resolve(COMPLETE_MARKER), false);
      try {
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        LOG.debug("Another process unpacked {} meanwhile", home);
      }
    } finally {
      if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(staging);
      }
    }
    LOG.info("Unpacked PostgreSQL into {} in {} ms", home, (System.nanoTime() - started) / 1_000_000);
  }

  private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path staging) throws IOException {
    Path target = staging.resolve(entry.getName()).normalize();
    if (!target.startsWith(staging) || target.equals(staging)) {
      if (target.equals(staging)) {
        return; // "./"
      }
      throw new IOException("Refusing archive entry outside the target folder: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(target, PrivateFiles.attribute(target, true, false));
      return;
    }
    Files.createDirectories(target.getParent(), PrivateFiles.attribute(target, true, false));
    if (entry.isSymbolicLink()) {
      Path link = Path.of(entry.getLinkName());
      if (!insideTree(staging, target, link)) {
        throw new IOException("Refusing archive link outside the target folder: " + entry.getName() + " -> " + link);
      }
      Files.createSymbolicLink(target, link);
    } else if (entry.isLink()) {
      Path source = staging.resolve(entry.getLinkName()).normalize();
      if (!source.startsWith(staging)) {
        throw new IOException("Refusing archive link outside the target folder: " + entry.getName());
      }
      Files.copy(source, target);
    } else if (entry.isFile()) {
      boolean executable = (entry.getMode() & 0100) != 0;
      try (var out = Files.newOutputStream(PrivateFiles.createFile(target, executable), StandardOpenOption.WRITE)) {
        tar.transferTo(out);
      }
    } else {
      throw new IOException("Unexpected archive entry " + entry.getName());
    }
  }

  private static boolean insideTree(Path tree, Path link, Path target) {
    return !target.isAbsolute() && link.getParent().resolve(target).normalize().startsWith(tree);
  }

  /**
   * Names the folder after the archive's content: the CRC-32 the jar lists for it (read without
   * unpacking anything), else a SHA-256 of the archive.
   */
  private static String fingerprint(URL archive) throws IOException {
    if ("jar".equals(archive.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) archive.openConnection();
      connection.setUseCaches(false);
      var entry = connection.getJarEntry();
      if (entry != null && entry.getCrc() != -1) {
        String crc = String.format("%08x", entry.getCrc());
        connection.getJarFile().close();
        return crc;
      }
    }
    try (DigestInputStream in = new DigestInputStream(archive.openStream(), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Whether PostgreSQL's programs must run in a user namespace: for root on Linux, where one can be made. */
  private static final class RootNamespace {
    static final boolean NEEDED = Os.current() == Os.LINUX && CurrentUser.isRoot() && unshareWorks();

    private static boolean unshareWorks() {
      try {
        Process probe = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
        probe.getOutputStream().close();
        String uid = new String(probe.getInputStream().readAllBytes()).trim();
        return probe.waitFor() == 0 && !"0".equals(uid);
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
