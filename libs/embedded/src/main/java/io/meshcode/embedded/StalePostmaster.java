package io.meshcode.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what an earlier run left in a PostgreSQL data directory: a postmaster still running
 * there (started by an older version through pg_ctl, which detached it from its JVM, or one whose
 * watchdog was killed too), and a pid file naming a pid the system has since given to another
 * program.
 */
final class StalePostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

  /** Held (a file lock) by the JVM whose server runs on the directory; zonky's name, kept for older folders. */
  static final String LOCK_FILE = "epg-lock";
  static final String PID_FILE = "postmaster.pid";

  private static final Duration TERM_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private StalePostmaster() {
  }

  /**
   * Stops the postmaster named in the pid file if it still runs. The file stays when its pid is
   * gone: PostgreSQL then checks by itself, through the shared memory it names, that no backend of
   * that dead postmaster still runs (they exit within moments of its death) before it starts. The
   * file goes only when its pid now belongs to another program, which would stop PostgreSQL.
   */
  static void stopIfRunning(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    OptionalLong pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong());
    if (process.isEmpty()) {
      return; // dead: postgres checks its shared memory itself
    }
    Optional<ProcessHandle> running = process.filter(Processes::isRunning);
    Optional<String> command = running.flatMap(p -> p.info().command());
    if (running.isPresent() && command.isEmpty()) {
      return; // cannot tell what it is: leave the file, postgres checks it again itself
    }
    if (command.map(StalePostmaster::isPostgres).orElse(false)) {
      LOG.warn("Stopping PostgreSQL pid {} left running in {} by an earlier run", pid.getAsLong(), dataDir);
      stop(running.get());
    }
    // A zombie or another program under that pid would make postgres believe the cluster still runs.
    if (Files.deleteIfExists(pidFile)) {
      LOG.info("Removed stale {} (pid {})", pidFile, pid.getAsLong());
    }
  }

  /** A live JVM that still runs this cluster holds the lock: never kill its server. */
  static void requireNoLiveOwner(Path dataDir) throws IOException {
    Path lockFile = dataDir.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw inUse(dataDir);
      }
    } catch (OverlappingFileLockException e) {
      throw inUse(dataDir);
    }
  }

  static IllegalStateException inUse(Path dataDir) {
    return new IllegalStateException("PostgreSQL data directory " + dataDir + " is in use by another running process");
  }

  private static OptionalLong readPid(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    try {
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** PostgreSQL's server program: {@code postgres}, or {@code postgres.exe} on Windows. */
  static boolean isPostgres(String command) {
    Path name = Path.of(command).getFileName();
    return name != null && (name.toString().equals("postgres") || name.toString().equalsIgnoreCase("postgres.exe"));
  }

  /** SIGTERM, then SIGKILL for the postmaster and its backends; waits for all of them. */
  private static void stop(ProcessHandle postmaster) throws IOException {
    List<ProcessHandle> backends = postmaster.descendants().collect(Collectors.toList());
    postmaster.destroy();
    if (Processes.awaitExit(postmaster, TERM_TIMEOUT)) {
      return;
    }
    LOG.warn("PostgreSQL pid {} ignored SIGTERM for {} s; killing it", postmaster.pid(), TERM_TIMEOUT.toSeconds());
    postmaster.destroyForcibly();
    backends.forEach(ProcessHandle::destroyForcibly);
    boolean gone = Processes.awaitExit(postmaster, KILL_TIMEOUT);
    for (ProcessHandle backend : backends) {
      gone &= Processes.awaitExit(backend, KILL_TIMEOUT);
    }
    if (!gone) {
      throw new IOException("Could not stop PostgreSQL pid " + postmaster.pid());
    }
  }
}
