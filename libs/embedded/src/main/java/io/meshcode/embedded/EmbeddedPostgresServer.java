package io.meshcode.embedded;

import io.meshcode.platform.Os;
import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's bundled binaries, see {@link PostgresBinaries}) with a
 * persistent data directory.
 *
 * <p>An existing cluster in the directory is reused with its data; a server left running on it by
 * a run that was killed is stopped first. Authentication is by password (SCRAM-SHA-256) on
 * loopback only: the superuser's password is generated at initdb and kept 0600 in the directory
 * ({@link PostgresCluster}); {@link #password()} reads it.
 *
 * <p>The postmaster runs under a small watchdog ({@link PostgresWatchdog}: {@code sh}, or
 * PowerShell on Windows), a child of this JVM, that stops it (fast shutdown) when asked and also
 * when this JVM dies, even by {@code kill -9}. The watchdog exits when the postmaster does, so
 * {@link #onExit()} tells a crash at once. The server stops on {@link #close()} and when this JVM shuts down; its own
 * log goes to {@code <dataDir>/log/}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private static final String DATABASE = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 20;
  static final String LOCK_FILE = StalePostmaster.LOCK_FILE;
  static final String STARTUP_LOG = "postmaster.log";

  private final Process watchdog;
  private final ProcessHandle postmaster;
  private final Path dataDir;
  private final int port;
  private final String password;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgresServer(Process watchdog, ProcessHandle postmaster, Path dataDir, int port, String password,
      FileChannel lockChannel, FileLock lock) {
    this.watchdog = watchdog;
    this.postmaster = postmaster;
    this.dataDir = dataDir;
    this.port = port;
    this.password = password;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.shutdownHook = new Thread(this::close, "meshcode-postgres-stop");
  }

  /** Starts PostgreSQL on {@code port} (0 picks a free one) with its cluster in {@code dataDir}. */
  public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    PostgresBinaries binaries = PostgresBinaries.prepare();
    if (!PostgresCluster.exists(dir)) {
      StalePostmaster.requireNoLiveOwner(dir);
      PostgresCluster.create(dir, binaries, Set.of(LOCK_FILE));
    }
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw StalePostmaster.inUse(dir);
    }
    try {
      StalePostmaster.stopIfRunning(dir);
      String password = PostgresCluster.secure(dir, binaries);
      int serverPort = port == 0 ? Support.freePort() : port;
      EmbeddedPostgresServer server = launch(binaries, dir, serverPort, password, lockChannel, lock);
      Runtime.getRuntime().addShutdownHook(server.shutdownHook);
      return server;
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  private static EmbeddedPostgresServer launch(PostgresBinaries binaries, Path dir, int port, String password,
      FileChannel lockChannel, FileLock lock) throws IOException {
    long startNanos = System.nanoTime();
    Path logDir = PrivateFiles.directory(dir.resolve("log"));
    Path log = logDir.resolve(STARTUP_LOG);
    PrivateFiles.append(log, "---- " + Instant.now() + " starting PostgreSQL on port " + port);
    long logOffset = Files.size(log);

    List<String> command = PostgresWatchdog.command(Os.current(), binaries.command("postgres", serverArgs(dir, port)),
        binaries.program("pg_ctl"));
    Process watchdog = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    // The pipe to the watchdog's stdin stays open, unwritten, for as long as this JVM lives.
    ProcessHandle postmaster;
    try {
      postmaster = awaitReady(watchdog, dir, port, log, logOffset);
    } catch (IOException | RuntimeException e) {
      stop(watchdog, Optional.empty(), dir);
      throw e;
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(watchdog, postmaster, dir, port, password, lockChannel, lock);
    LOG.info("PostgreSQL pid {} ready on {} in {} ms (data {})", postmaster.pid(), server.jdbcUrl(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dir);
    return server;
  }

  private static List<String> serverArgs(Path dir, int port) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("listen_addresses", Support.LOOPBACK);
    // No Unix socket: nothing here uses one, and its default place is the shared /tmp.
    config.put("unix_socket_directories", "");
    config.put("timezone", "UTC");
    config.put("max_connections", "300");
    // A commit is in the WAL file (the OS's cache: fsync stays off, -F) before anyone hears of it
    // or sees it, so it survives a crash of any PostgreSQL process; only a crash of the machine
    // itself could still lose it. (zonky's default was off, which lost answered commits.)
    config.put("synchronous_commit", "on");
    config.put("password_encryption", "scram-sha-256");
    // The server's log goes to <dataDir>/log (one file per weekday, overwritten after a week,
    // 0600) rather than down a pipe to a JVM that may be gone.
    config.put("logging_collector", "on");
    config.put("log_filename", "postgresql-%a.log");
    config.put("log_truncate_on_rotation", "on");
    config.put("log_rotation_age", "1d");
    List<String> args = new ArrayList<>(List.of("-D", dir.toString(), "-p", Integer.toString(port), "-F"));
    config.forEach((name, value) -> args.addAll(List.of("-c", name + "=" + value)));
    return args;
  }

  /**
   * Waits until the postmaster this watchdog started says "ready" in its pid file (a file left by
   * a killed earlier postmaster names another pid) and accepts connections.
   */
  private static ProcessHandle awaitReady(Process watchdog, Path dir, int port, Path log, long logOffset) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!watchdog.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited with code " + watchdog.exitValue() + " before it was ready"
            + " (log " + log + "):" + System.lineSeparator() + Support.tail(log, logOffset, LOG_TAIL_LINES));
      }
      Optional<ProcessHandle> ready = readyPostmaster(watchdog, dir).filter(pm -> accepts(port));
      if (ready.isPresent()) {
        return ready.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("PostgreSQL was not ready within " + START_TIMEOUT.toSeconds() + " s (log "
            + log + "):" + System.lineSeparator() + Support.tail(log, logOffset, LOG_TAIL_LINES));
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("PostgreSQL's start was interrupted");
      }
    }
  }

  private static Optional<ProcessHandle> readyPostmaster(Process watchdog, Path dir) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve(StalePostmaster.PID_FILE));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.size() < 8 || !lines.get(7).trim().equals("ready")) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return watchdog.children().filter(child -> child.pid() == pid).findFirst();
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Support.LOOPBACK, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
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
    return port;
  }

  public String database() {
    return DATABASE;
  }

  public String user() {
    return PostgresCluster.SUPERUSER;
  }

  /** The superuser's password, kept 0600 in {@code <dataDir>/superuser.password}. */
  public String password() {
    return password;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
  }

  /** The postmaster. */
  public ProcessHandle process() {
    return postmaster;
  }

  /** Completes, with the postmaster's exit status as its watchdog saw it, once the server has exited for any reason. */
  public CompletableFuture<Integer> onExit() {
    return watchdog.onExit().thenApply(Process::exitValue);
  }

  /** Stops the server (fast shutdown; killed after 10 s) and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      Support.removeShutdownHook(shutdownHook);
    }
    try {
      stop(watchdog, Optional.of(postmaster), dataDir);
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("Releasing the lock on {} failed", dataDir, e);
      }
    }
  }

  private static void stop(Process watchdog, Optional<ProcessHandle> postmaster, Path dir) {
    List<ProcessHandle> processes = new ArrayList<>();
    postmaster.ifPresent(pm -> {
      processes.add(pm);
      processes.addAll(pm.descendants().toList());
    });
    watchdog.descendants().forEach(processes::add);
    PostgresWatchdog.requestStop(Os.current(), watchdog);
    boolean stopped;
    try {
      stopped = watchdog.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = false;
    }
    if (!stopped) {
      LOG.warn("PostgreSQL in {} did not stop within {} s; killing it", dir, STOP_TIMEOUT.toSeconds());
    }
    // The watchdog has waited for the postmaster, which waits for its backends; whatever is left
    // (a kill, a timeout) goes now.
    for (ProcessHandle process : processes) {
      if (Processes.isRunning(process)) {
        process.destroyForcibly();
      }
    }
    watchdog.destroyForcibly();
    processes.forEach(process -> Processes.awaitExit(process, STOP_TIMEOUT));
  }
}
