package io.meshcode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local mesh ({@code local/target/meshcode-local.jar}) as its own process, on a fresh data folder. */
final class MeshProcess implements AutoCloseable {

  private static final Pattern PORTS = Pattern.compile("PostgreSQL on port (\\d+), Kafka on port (\\d+)");
  /** An overloaded mesh logs a failure per request: the first ones say what went wrong. */
  private static final int SHOWN_ERROR_LINES = 20;
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Process process;
  private final int port;
  private final String ownerKey;
  private final int postgresPort;
  private final int kafkaPort;
  private final Path home;
  private final AtomicLong errorLines;

  private MeshProcess(Process process, int port, String ownerKey, int postgresPort, int kafkaPort, Path home,
      AtomicLong errorLines) {
    this.process = process;
    this.port = port;
    this.ownerKey = ownerKey;
    this.postgresPort = postgresPort;
    this.kafkaPort = kafkaPort;
    this.home = home;
    this.errorLines = errorLines;
  }

  static MeshProcess start(Path jar, String heap) throws Exception {
    return start(jar, heap, "");
  }

  /** With {@code replicas} passed to {@code --replicas} when not empty: every service replica its own process. */
  static MeshProcess start(Path jar, String heap, String replicas) throws Exception {
    Path home = Files.createTempDirectory("meshcode-bench");
    int port = freePort();
    String ownerKey = generateOwnerKey();
    List<String> command = new ArrayList<>(List.of("java", "-Xms" + heap, "-Xmx" + heap, "-jar", jar.toString(), "--port", Integer.toString(port)));
    if (!replicas.isEmpty()) {
      command.addAll(List.of("--replicas", replicas));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("MESHCODE_HOME", home.toString());
    builder.environment().put("MESHCODE_BOOTSTRAP_KEY", ownerKey);
    builder.environment().put("MESHCODE_RATE_LIMIT_PER_MINUTE", "1000000");
    builder.environment().put("MESHCODE_KEY_FAILURES_PER_MINUTE", "1000000");
    builder.environment().put("MESHCODE_DB_POOL_SIZE", "16");
    // Every parked wait is a connection from this one address, busy for the whole run.
    builder.environment().put("MESHCODE_MAX_CONNECTIONS_PER_ADDRESS", "1000000");
    builder.environment().put("MESHCODE_MAX_CONNECTIONS", "1000000");
    builder.environment().put("MESHCODE_WAIT_MAX_SECONDS", Integer.toString(ParkedWaitMemory.WAIT_SECONDS));
    Process process = builder.start();
    AtomicLong errorLines = new AtomicLong();
    CompletableFuture<int[]> ports = new CompletableFuture<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          Matcher m = PORTS.matcher(line);
          if (m.find()) {
            ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
          }
          if (line.contains("Press Ctrl-C to stop.")) {
            ready.complete(null);
          }
          if (line.contains("ERROR") || line.contains("failed")) {
            long seen = errorLines.incrementAndGet();
            if (seen <= SHOWN_ERROR_LINES) {
              System.err.println("  mesh: " + line);
            } else if (seen == SHOWN_ERROR_LINES + 1) {
              System.err.println("  mesh: … (further lines with ERROR or failed are counted, not shown)");
            }
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      // Also reached when a started mesh is stopped: its output ends before the process has exited.
      ready.completeExceptionally(new IllegalStateException("the mesh exited with "
          + (process.isAlive() ? "its output closed" : Integer.toString(process.exitValue()))));
    }, "mesh-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(180, TimeUnit.SECONDS);
    int[] found = ports.getNow(new int[] {-1, -1});
    return new MeshProcess(process, port, ownerKey, found[0], found[1], home, errorLines);
  }

  int port() {
    return port;
  }

  String ownerKey() {
    return ownerKey;
  }

  int postgresPort() {
    return postgresPort;
  }

  String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  Path home() {
    return home;
  }

  /** How many lines of the mesh's output so far said ERROR or failed. */
  long errorLines() {
    return errorLines.get();
  }

  long pid() {
    return process.pid();
  }

  /** The mesh process's live heap by class, after the full collection {@code jcmd GC.class_histogram} forces. */
  HeapHistogram liveHeap() throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.class_histogram").redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    return HeapHistogram.parse(output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String generateOwnerKey() {
    SecureRandom random = new SecureRandom();
    StringBuilder key = new StringBuilder("mc_");
    for (int i = 0; i < 43; i++) {
      key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }

  @Override
  public void close() throws Exception {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
