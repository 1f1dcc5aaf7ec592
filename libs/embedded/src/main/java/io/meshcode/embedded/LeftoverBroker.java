package io.meshcode.embedded;

import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker whose launcher was killed exits by itself, but only after a moment; a quick
 * restart on the same folder would meanwhile find Kafka's lock on it still held. So the
 * launcher records which broker runs on the folder, and a new start stops such a leftover.
 *
 * <p>Processes are identified by pid and start time (not by command line: Linux may
 * truncate a long one), so a reused pid is never taken for the broker.
 */
final class LeftoverBroker {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverBroker.class);

  static final String FILE_NAME = "broker.pid";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private LeftoverBroker() {
  }

  static void record(Path dataDir, ProcessHandle broker) throws IOException {
    Properties props = new Properties();
    put(props, "broker", broker);
    put(props, "launcher", ProcessHandle.current());
    java.io.StringWriter out = new java.io.StringWriter();
    props.store(out, "The Kafka broker running on this folder and the process that started it");
    PrivateFiles.write(dataDir.resolve(FILE_NAME), out.toString());
  }

  static void forget(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE_NAME));
    } catch (IOException e) {
      LOG.debug("Cannot delete {}", dataDir.resolve(FILE_NAME), e);
    }
  }

  /** Stops a broker left on {@code dataDir} by a dead launcher; refuses if its launcher still runs. */
  static void clear(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return;
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    Optional<ProcessHandle> broker = find(props, "broker");
    if (broker.isPresent()) {
      long brokerPid = broker.get().pid();
      if (find(props, "launcher").isPresent()) {
        throw new IllegalStateException("Kafka data directory " + dataDir + " is in use by broker pid "
            + brokerPid + " of running process " + props.getProperty("launcher.pid"));
      }
      LOG.warn("Stopping Kafka broker pid {} left running on {} by an earlier run", brokerPid, dataDir);
      broker.get().destroy();
      if (!Processes.awaitExit(broker.get(), STOP_TIMEOUT)) {
        broker.get().destroyForcibly();
        if (!Processes.awaitExit(broker.get(), STOP_TIMEOUT)) {
          throw new IOException("Could not stop Kafka broker pid " + brokerPid);
        }
      }
    }
    forget(dataDir);
  }

  private static void put(Properties props, String role, ProcessHandle process) {
    props.setProperty(role + ".pid", Long.toString(process.pid()));
    props.setProperty(role + ".start", Long.toString(startMillis(process)));
  }

  /** The recorded process if it still runs and is the same process (same start time). */
  private static Optional<ProcessHandle> find(Properties props, String role) {
    try {
      long pid = Long.parseLong(props.getProperty(role + ".pid", ""));
      long start = Long.parseLong(props.getProperty(role + ".start", ""));
      return ProcessHandle.of(pid)
          .filter(Processes::isRunning)
          .filter(process -> startMillis(process) == start);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }
}
