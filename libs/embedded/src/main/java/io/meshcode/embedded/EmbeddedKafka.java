package io.meshcode.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.x broker in a child JVM (see the meshcode-kafka-broker module).
 *
 * <p>The broker keeps its data under the given folder and survives restarts on it. It exits
 * when {@link #close()} is called, when this JVM shuts down, and by itself when this JVM dies;
 * a start on a folder whose launcher just died stops the leftover broker first. Its output
 * goes to {@code <dataDir>/broker.log}.
 *
 * <p>The folder and everything in it are its owner's alone (folders 0700, files 0600): the broker
 * runs with umask 077, and a folder written before that rule is tightened on start. The broker
 * runs in a session of its own, so a Ctrl-C at the terminal reaches only this JVM, which stops it
 * after whatever uses it.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final String MAIN_CLASS = "io.meshcode.broker.BrokerMain";
  /** Same value as BrokerMain.READY_PREFIX; not referenced so that no broker class loads here. */
  private static final String READY_PREFIX = "MESHCODE-BROKER-READY";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 10;
  private static final int LOG_TAIL_LINES = 20;
  /** How often a start is tried when a port picked as free was taken before the broker bound it. */
  private static final int BIND_ATTEMPTS = 3;

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.shutdownHook = new Thread(this::close, "meshcode-kafka-stop");
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) keeping its data in {@code dataDir},
   * and blocks until it accepts clients.
   *
   * @throws IllegalStateException if the broker dies or is not ready within 60 s; the
   *     message ends with the last lines of its log
   */
  public static EmbeddedKafka start(Path dataDir, int port) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    Support.restrictToOwner(dir);
    String classpath = BrokerClasspath.resolve(EmbeddedKafka.class.getClassLoader());
    LeftoverBroker.clear(dir);
    Path tmp = Support.ensureTmpDir();
    // A free port is free when picked, not when the broker binds it: another process may take it
    // in between. Then the broker exits at once, and picking again is all it takes.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dir, classpath, tmp, port);
      } catch (IllegalStateException e) {
        if (attempt >= BIND_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
        LOG.warn("Kafka broker could not bind a port it was given (taken meanwhile); trying other ports");
      }
    }
  }

  private static EmbeddedKafka startOnce(Path dir, String classpath, Path tmp, int port) throws IOException {
    int brokerPort = port == 0 ? Support.freePort() : port;
    int controllerPort = Support.freePort();
    while (controllerPort == brokerPort) {
      controllerPort = Support.freePort();
    }

    Path log = dir.resolve("broker.log");
    appendLine(log, "---- " + Instant.now() + " starting broker on port " + brokerPort);
    long logOffset = Files.size(log);

    List<String> command = Support.ownerOnlySession(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        // C1 only: the broker is ready about 0.6 s sooner and a dev/test load needs no C2.
        "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp,
        "-cp", classpath,
        MAIN_CLASS,
        dir.toString(),
        Integer.toString(brokerPort),
        Integer.toString(controllerPort),
        Long.toString(ProcessHandle.current().pid())));
    long startNanos = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    EmbeddedKafka kafka = new EmbeddedKafka(process, brokerPort, dir);
    try {
      process.getOutputStream().close();
      LeftoverBroker.record(dir, process.toHandle());
      CountDownLatch ready = new CountDownLatch(1);
      Thread pump = new Thread(() -> copyStdout(process, log, ready), "meshcode-kafka-stdout");
      pump.setDaemon(true);
      pump.start();
      String failure = awaitReady(process, ready);
      if (failure != null) {
        throw new IllegalStateException("Kafka broker " + failure + " (log " + log + "):"
            + System.lineSeparator() + Support.tail(log, logOffset, LOG_TAIL_LINES));
      }
    } catch (IOException | RuntimeException e) {
      kafka.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
    LOG.info("Kafka broker pid {} ready on {} in {} ms", process.pid(), kafka.bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return kafka;
  }

  /** Null once ready, else why not. */
  private static String awaitReady(Process process, CountDownLatch ready) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    try {
      while (!ready.await(100, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive()) {
          return "exited with code " + process.exitValue() + " before it was ready";
        }
        if (System.nanoTime() > deadline) {
          return "was not ready within " + START_TIMEOUT_SECONDS + " s";
        }
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "start was interrupted";
    }
  }

  /** The broker's stdout carries only the READY line; keep everything in the log anyway. */
  private static void copyStdout(Process process, Path log, CountDownLatch ready) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        appendLine(log, line);
        if (line.startsWith(READY_PREFIX)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      LOG.debug("Broker stdout closed", e);
    }
  }

  private static void appendLine(Path log, String line) throws IOException {
    Support.appendOwnerOnly(log, line);
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return Support.LOOPBACK + ":" + port;
  }

  /**
   * For an owner that stops this itself, in its own order (the local mesh stops its services
   * first): without it the JVM's shutdown hooks, which run all at once, would stop this while the
   * services still drain their requests.
   */
  public EmbeddedKafka withoutShutdownHook() {
    Support.removeShutdownHook(shutdownHook);
    return this;
  }

  public int port() {
    return port;
  }

  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Completes, with the broker's exit code, once it has exited for any reason. */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      Support.removeShutdownHook(shutdownHook);
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("Kafka broker pid {} did not stop within {} s; killing it", process.pid(), STOP_TIMEOUT_SECONDS);
        process.destroyForcibly();
        process.waitFor();
      }
      LOG.info("Kafka broker pid {} stopped", process.pid());
      LeftoverBroker.forget(dataDir);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
