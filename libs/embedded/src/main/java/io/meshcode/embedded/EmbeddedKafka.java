package io.meshcode.embedded;

import io.meshcode.platform.Os;
import io.meshcode.platform.PrivateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
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
 *
 * <p>Its client listener is PLAINTEXT unless started with a {@link Security}: then it
 * authenticates SCRAM users (SASL_PLAINTEXT, SASL_SSL) or client certificates (SSL), and may
 * authorize with ACLs. With SASL, the broker's own user {@value #ADMIN} is a super user whose
 * password is generated on the first start and kept (0600) with the data.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** The super user of a SASL broker: it makes the other users and their ACLs. */
  public static final String ADMIN = "admin";

  /**
   * How the broker's client listener authenticates.
   *
   * @param protocol {@code SASL_PLAINTEXT}, {@code SASL_SSL} or {@code SSL}
   * @param keystorePem with TLS, a PEM file with the broker's PKCS#8 key and certificate chain (names 127.0.0.1)
   * @param caPem with TLS, the CA the broker trusts, for its own connections and for client certificates
   * @param clientCertificates with SSL, whether every client must present a certificate signed by {@code caPem}
   * @param acls with SASL, whether the broker denies what no ACL allows (the admin is a super user)
   */
  public record Security(String protocol, Path keystorePem, Path caPem, boolean clientCertificates, boolean acls) {

    public static Security saslPlaintext(boolean acls) {
      return new Security("SASL_PLAINTEXT", null, null, false, acls);
    }

    public static Security saslSsl(Path keystorePem, Path caPem) {
      return new Security("SASL_SSL", keystorePem, caPem, false, false);
    }

    public static Security ssl(Path keystorePem, Path caPem, boolean clientCertificates) {
      return new Security("SSL", keystorePem, caPem, clientCertificates, false);
    }

    boolean sasl() {
      return protocol.startsWith("SASL_");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final String MAIN_CLASS = "io.meshcode.broker.BrokerMain";
  /** Same value as BrokerMain.READY_PREFIX; not referenced so that no broker class loads here. */
  private static final String READY_PREFIX = "MESHCODE-BROKER-READY";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 10;
  private static final int LOG_TAIL_LINES = 20;
  /** How often a start is tried when a port picked as free was taken before the broker bound it. */
  private static final int BIND_ATTEMPTS = 3;

  private static final String SECURITY_FILE = "broker-security.properties";

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final String adminPassword;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(Process process, int port, Path dataDir, String adminPassword) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.adminPassword = adminPassword;
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
    return start(dataDir, port, null);
  }

  /**
   * As {@link #start(Path, int)}, with a client listener that authenticates as {@code security}
   * says (null: PLAINTEXT). A data folder keeps the protocol of its first start.
   */
  public static EmbeddedKafka start(Path dataDir, int port, Security security) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    PrivateFiles.restrictTree(dir);
    String classpath = BrokerClasspath.resolve(EmbeddedKafka.class.getClassLoader());
    LeftoverBroker.clear(dir);
    Path tmp = Support.ensureTmpDir();
    String adminPassword = security != null && security.sasl() ? adminPassword(dir) : null;
    Path securityFile = security == null ? null : writeSecurity(dir, security, adminPassword);
    // A free port is free when picked, not when the broker binds it: another process may take it
    // in between. Then the broker exits at once, and picking again is all it takes.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dir, classpath, tmp, port, securityFile, adminPassword);
      } catch (IllegalStateException e) {
        if (attempt >= BIND_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
        LOG.warn("Kafka broker could not bind a port it was given (taken meanwhile); trying other ports");
      }
    }
  }

  /** The admin's password of the data folder: the one its storage was formatted with, or a new one. */
  private static String adminPassword(Path dir) throws IOException {
    Path file = dir.resolve(SECURITY_FILE);
    if (Files.exists(file)) {
      Properties kept = new Properties();
      try (var in = Files.newBufferedReader(file)) {
        kept.load(in);
      }
      String password = kept.getProperty("admin.password");
      if (password != null) {
        return password;
      }
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static Path writeSecurity(Path dir, Security security, String adminPassword) throws IOException {
    StringBuilder text = new StringBuilder("protocol=").append(security.protocol()).append('\n');
    if (adminPassword != null) {
      text.append("admin.username=").append(ADMIN).append('\n').append("admin.password=").append(adminPassword).append('\n');
    }
    if (security.keystorePem() != null) {
      text.append("keystore=").append(escape(security.keystorePem().toAbsolutePath())).append('\n');
    }
    if (security.caPem() != null) {
      text.append("ca=").append(escape(security.caPem().toAbsolutePath())).append('\n');
    }
    text.append("client.auth=").append(security.clientCertificates() ? "required" : "none").append('\n');
    text.append("acls=").append(security.acls()).append('\n');
    Path file = dir.resolve(SECURITY_FILE);
    PrivateFiles.write(file, text.toString());
    return file;
  }

  /** A path as a properties value: backslashes would be read as escapes. */
  private static String escape(Path path) {
    return path.toString().replace("\\", "\\\\");
  }

  private static EmbeddedKafka startOnce(Path dir, String classpath, Path tmp, int port, Path securityFile,
      String adminPassword) throws IOException {
    int brokerPort = port == 0 ? Support.freePort() : port;
    int controllerPort = Support.freePort();
    while (controllerPort == brokerPort) {
      controllerPort = Support.freePort();
    }

    Path log = dir.resolve("broker.log");
    appendLine(log, "---- " + Instant.now() + " starting broker on port " + brokerPort);
    long logOffset = Files.size(log);

    List<String> arguments = new ArrayList<>(List.of(
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
    if (securityFile != null) {
      arguments.add(securityFile.toString());
    }
    List<String> command = Support.ownerOnlySession(Os.current(), arguments);
    long startNanos = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    EmbeddedKafka kafka = new EmbeddedKafka(process, brokerPort, dir, adminPassword);
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
    PrivateFiles.append(log, line);
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

  /** The password of {@link #ADMIN}, on a broker started with SASL. */
  public String adminPassword() {
    if (adminPassword == null) {
      throw new IllegalStateException("this broker has no SASL listener, so no admin user");
    }
    return adminPassword;
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
