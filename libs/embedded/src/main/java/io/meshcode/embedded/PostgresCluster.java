package io.meshcode.embedded;

import io.meshcode.platform.Os;
import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL data directory as the embedded server keeps it: made by initdb with password
 * (SCRAM-SHA-256) authentication for the superuser, whose generated password is kept 0600 in
 * {@value #PASSWORD_FILE} inside the directory (itself 0700), and a {@code pg_hba.conf} that
 * trusts nobody. A directory made by an earlier version (initdb {@code -A trust}) is brought to
 * the same state in place on its next start, its data untouched.
 */
final class PostgresCluster {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);

  static final String SUPERUSER = "postgres";
  static final String PASSWORD_FILE = "superuser.password";
  static final String HBA_FILE = "pg_hba.conf";
  /** Present in every cluster initdb finished; moved into place last. */
  static final String CONF_FILE = "postgresql.conf";

  static final String HBA = """
      # Written by MeshCode on every start of its embedded PostgreSQL: nobody is trusted, every
      # connection (loopback only) signs in with a password (SCRAM-SHA-256).
      # TYPE  DATABASE        USER            ADDRESS                 METHOD
      local   all             all                                     scram-sha-256
      host    all             all             127.0.0.1/32            scram-sha-256
      host    all             all             ::1/128                 scram-sha-256
      local   replication     all                                     scram-sha-256
      host    replication     all             127.0.0.1/32            scram-sha-256
      host    replication     all             ::1/128                 scram-sha-256
      """;

  private static final long TOOL_TIMEOUT_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PostgresCluster() {
  }

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(CONF_FILE));
  }

  /**
   * Makes a new cluster in {@code dir}, which must be missing or hold nothing but {@code allowed}
   * files. initdb runs in a folder beside it that is moved in when complete, so an interrupted
   * initdb never leaves a half cluster behind.
   */
  static void create(Path dir, PostgresBinaries binaries, Set<String> allowed) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> children = Files.list(dir)) {
        List<String> unexpected = children.map(p -> p.getFileName().toString()).filter(n -> !allowed.contains(n)).toList();
        if (!unexpected.isEmpty()) {
          throw new IllegalStateException(dir + " is neither empty nor a PostgreSQL cluster (it holds " + unexpected
              + "): move it away, or start afresh");
        }
      }
    }
    Path parent = dir.getParent();
    String prefix = "." + dir.getFileName() + "-initdb";
    removeLeftovers(parent, prefix); // of an initdb whose JVM died
    Path staging = parent.resolve(prefix + "-" + Long.toHexString(System.nanoTime()));
    Path pwfile = PrivateFiles.createTempFile(parent, prefix + "-pwfile-", "");
    long started = System.nanoTime();
    try {
      String password = generatePassword();
      Files.writeString(pwfile, password, StandardCharsets.UTF_8);
      run(binaries, "initdb", List.of(
          "--auth=scram-sha-256", "--pwfile=" + pwfile, "-U", SUPERUSER, "-E", "UTF-8", "--no-sync", "-D", staging.toString()),
          null, parent.resolve(prefix + ".log"));
      PrivateFiles.write(staging.resolve(PASSWORD_FILE), password + "\n");
      PrivateFiles.directory(dir);
      List<Path> entries;
      try (Stream<Path> children = Files.list(staging)) {
        entries = new ArrayList<>(children.toList());
      }
      entries.sort((a, b) -> Boolean.compare(a.endsWith(CONF_FILE), b.endsWith(CONF_FILE)));
      for (Path entry : entries) {
        Files.move(entry, dir.resolve(entry.getFileName()));
      }
      Files.delete(staging);
    } finally {
      Files.deleteIfExists(pwfile);
      if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(staging);
      }
    }
    LOG.info("Created a PostgreSQL cluster in {} in {} ms", dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static void removeLeftovers(Path parent, String prefix) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      for (Path child : children.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        deleteTree(child);
      }
    }
  }

  /**
   * The superuser's password, with authentication made to need it: a cluster without a password
   * file (made with trust) gets a new password, set in single-user mode (no server listening
   * meanwhile), and {@code pg_hba.conf} is rewritten whenever it is not {@link #HBA}. Call with no
   * server running on {@code dir}.
   */
  static String secure(Path dir, PostgresBinaries binaries) throws IOException {
    PrivateFiles.directory(dir);
    Path passwordFile = dir.resolve(PASSWORD_FILE);
    String password;
    if (Files.exists(passwordFile)) {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
      PrivateFiles.restrict(passwordFile);
    } else {
      LOG.warn("PostgreSQL in {} has no password yet (made by an earlier version, with trust): setting one", dir);
      password = generatePassword();
      // Set in the database first, then kept: a crash in between leaves no password file, so the
      // next start sets a new one again.
      run(binaries, "postgres", List.of("--single", "-D", dir.toString(), "-F",
              "-c", "password_encryption=scram-sha-256", "-c", "logging_collector=off", SUPERUSER),
          "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "';\n", dir.resolve("log").resolve("set-password.log"));
      PrivateFiles.write(passwordFile, password + "\n");
    }
    Path hba = dir.resolve(HBA_FILE);
    if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
      if (Files.exists(hba) && trusts(Files.readString(hba, StandardCharsets.UTF_8))) {
        LOG.warn("Replacing trust authentication in {} with password authentication", hba);
      }
      PrivateFiles.write(hba, HBA);
    }
    return password;
  }

  /** Whether a pg_hba.conf lets anyone in without a password. */
  static boolean trusts(String hba) {
    return hba.lines()
        .map(line -> line.replaceFirst("#.*", "").trim())
        .filter(line -> !line.isEmpty())
        .anyMatch(line -> line.matches(".*\\s(trust|password|ident|peer)(\\s.*)?$"));
  }

  /** 256 random bits, URL-safe base64: nothing in it needs quoting in SQL or a URL. */
  static String generatePassword() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Runs one of PostgreSQL's programs to its end; its output goes to {@code log}, kept only on failure. */
  private static void run(PostgresBinaries binaries, String program, List<String> args, String input, Path log)
      throws IOException {
    if (!Files.isDirectory(log.getParent())) {
      PrivateFiles.directory(log.getParent());
    }
    ProcessBuilder builder = new ProcessBuilder(Support.ownerOnlySession(Os.current(), binaries.command(program, args)))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Process process = builder.start();
    try {
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(program + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s (log " + log + ")");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(program + " was interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(program + " failed with exit code " + process.exitValue() + " (log " + log + "):"
          + System.lineSeparator() + Support.tail(log, 0, 20));
    }
    Files.deleteIfExists(log);
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
