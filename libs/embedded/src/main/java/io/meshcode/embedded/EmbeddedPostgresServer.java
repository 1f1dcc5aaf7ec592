package io.meshcode.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's bundled binaries) with a persistent data directory.
 *
 * <p>An existing cluster in the directory is reused with its data. A server left running by
 * a run that was killed is stopped first. The server stops on {@link #close()} and when this
 * JVM shuts down; its own log goes to {@code <dataDir>/log/}. Authentication is {@code trust}
 * on 127.0.0.1, so any password is accepted.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private static final String DATABASE = "postgres";
  private static final String USER = "postgres";
  private static final String PASSWORD = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.shutdownHook = new Thread(this::close, "meshcode-postgres-stop");
  }

  /** Starts PostgreSQL on {@code port} (0 picks a free one) with its cluster in {@code dataDir}. */
  public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
    Path dir = Files.createDirectories(dataDir.toAbsolutePath().normalize());
    Support.ensureTmpDir(); // zonky unpacks its binaries there
    StalePostmaster.clear(dir);
    long startNanos = System.nanoTime();
    EmbeddedPostgres postgres;
    try {
      postgres = builder(dir, port).start();
    } catch (IOException | RuntimeException e) {
      // Zonky may give up waiting after pg_ctl started the server: do not leave it behind.
      try {
        StalePostmaster.stopIfRunning(dir);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dir);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    LOG.info("PostgreSQL ready on {} in {} ms (data {})", server.jdbcUrl(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dir);
    return server;
  }

  private static EmbeddedPostgres.Builder builder(Path dir, int port) {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        // Zonky's default (true) re-runs initdb on every start and deletes the directory on close.
        .setCleanDataDirectory(false)
        // Ours is removed again on close; zonky's would pile up in a long-lived JVM.
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(START_TIMEOUT)
        .setServerConfig("listen_addresses", Support.LOOPBACK)
        // Zonky's default is off: a commit is answered before its WAL is written, so a crash of
        // PostgreSQL undoes commits that clients were told of (accepted messages lost, inbox
        // positions handed out twice). On, a commit is in the WAL file (the OS's cache: zonky
        // still runs with fsync off) before anyone hears of it or sees it, and survives a crash
        // of any PostgreSQL process; only a crash of the machine itself could still lose it.
        .setServerConfig("synchronous_commit", "on")
        // The server's log goes to <dataDir>/log (one file per weekday, overwritten
        // after a week) rather than down a pipe to a JVM that may be gone.
        .setServerConfig("logging_collector", "on")
        .setServerConfig("log_filename", "postgresql-%a.log")
        .setServerConfig("log_truncate_on_rotation", "on")
        .setServerConfig("log_rotation_age", "1d");
  }

  public String host() {
    return Support.LOOPBACK;
  }

  /**
   * For an owner that stops this itself, in its own order (the local mesh stops its services
   * first): without it the JVM's shutdown hooks, which run all at once, would stop this while the
   * services still drain their requests.
   */
  public EmbeddedPostgresServer withoutShutdownHook() {
    Support.removeShutdownHook(shutdownHook);
    return this;
  }

  public int port() {
    return postgres.getPort();
  }

  public String database() {
    return DATABASE;
  }

  public String user() {
    return USER;
  }

  /** Any value works (trust authentication); a non-empty one keeps strict clients happy. */
  public String password() {
    return PASSWORD;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
  }

  /** Stops the server (pg_ctl fast shutdown) and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      Support.removeShutdownHook(shutdownHook);
    }
    Optional<ProcessHandle> postmaster = postmasterProcess();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Stopping PostgreSQL in {} failed", dataDir, e);
    }
    // pg_ctl returns once the pid file is gone, a moment before the postmaster exits;
    // and zonky only logs a failed stop. Either way nothing may be left running.
    postmaster.ifPresent(process -> {
      if (!Processes.awaitExit(process, STOP_TIMEOUT)) {
        LOG.warn("PostgreSQL pid {} still running after pg_ctl stop; killing it", process.pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Processes.awaitExit(process, STOP_TIMEOUT);
      }
    });
  }

  private Optional<ProcessHandle> postmasterProcess() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve(StalePostmaster.PID_FILE));
      return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
