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
 * Clears what a killed earlier run left in a PostgreSQL data directory. pg_ctl detaches the
 * postmaster, so it outlives a JVM killed with SIGKILL and keeps the directory and its port.
 */
final class StalePostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

  /** Zonky holds a lock on this file while its EmbeddedPostgres runs. */
  static final String ZONKY_LOCK_FILE = "epg-lock";
  static final String PID_FILE = "postmaster.pid";

  private static final Duration TERM_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private StalePostmaster() {
  }

  static void clear(Path dataDir) throws IOException {
    requireNoLiveOwner(dataDir);
    stopIfRunning(dataDir);
  }

  /** Stops the postmaster named in the pid file if it still runs; removes a stale pid file. */
  static void stopIfRunning(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    OptionalLong pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> running = ProcessHandle.of(pid.getAsLong()).filter(Processes::isRunning);
    Optional<String> command = running.flatMap(process -> process.info().command());
    if (running.isPresent() && command.isEmpty()) {
      return; // cannot tell what it is: leave the file, postgres checks it again itself
    }
    if (command.map(StalePostmaster::isPostgres).orElse(false)) {
      LOG.warn("Stopping PostgreSQL pid {} left running in {} by an earlier run", pid.getAsLong(), dataDir);
      stop(running.get());
    }
    // A dead or reused pid in the file would make postgres believe the cluster still runs.
    if (Files.deleteIfExists(pidFile)) {
      LOG.info("Removed stale {} (pid {})", pidFile, pid.getAsLong());
    }
  }

  /** A live JVM that still runs this cluster holds zonky's lock: never kill its server. */
  private static void requireNoLiveOwner(Path dataDir) throws IOException {
    Path lockFile = dataDir.resolve(ZONKY_LOCK_FILE);
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

  private static IllegalStateException inUse(Path dataDir) {
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

  private static boolean isPostgres(String command) {
    return Path.of(command).getFileName().toString().equals("postgres");
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
