package io.meshcode.local;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.embedded.EmbeddedKafka;
import io.meshcode.embedded.EmbeddedPostgresServer;
import io.meshcode.embedded.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The whole mesh as separate processes, the way a deployment runs it: its own PostgreSQL and Kafka
 * broker (never the test kit's shared ones, since these get restarted), and every service from its
 * shaded jar, each on a port fixed for the life of the fixture so that anything restarted comes
 * back where the others look for it. It kills, restarts and crashes them on demand. Everything it
 * started is stopped by {@link #close()} (and, should the test JVM exit first, by a shutdown hook),
 * and {@link #everyProcess()} lists it all for a check that nothing outlives the test.
 */
final class MeshProcesses implements AutoCloseable {

  static final List<String> SERVICES = List.of("bus", "memory", "tasks", "invites");

  private static final Duration READY = Duration.ofSeconds(90);
  private static final List<String> JVM_OPTIONS = List.of(
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  final String adminKey = SecretKeys.generate(SecretKeys.OWNER);
  private final InternalKeys keys = InternalKeys.generate();
  private final Path root;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private final Thread killOnExit = new Thread(this::killServices, "mesh-processes-kill");
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafka kafka;
  private final Map<String, String> serviceEnv;
  private int gatewayCount;

  private MeshProcesses(Path root, Map<String, String> serviceEnv) {
    this.root = root;
    this.serviceEnv = serviceEnv;
  }

  /** PostgreSQL, the broker, bus, memory, tasks, invites and {@code gateways} gateways, all ready. */
  static MeshProcesses start(Path root, int gateways) throws IOException {
    return start(root, gateways, Map.of());
  }

  /** The same, with {@code serviceEnv} added to every service's environment. */
  static MeshProcesses start(Path root, int gateways, Map<String, String> serviceEnv) throws IOException {
    MeshProcesses mesh = new MeshProcesses(root, serviceEnv);
    Runtime.getRuntime().addShutdownHook(mesh.killOnExit);
    try {
      mesh.startAll(gateways);
      return mesh;
    } catch (IOException | RuntimeException | Error e) {
      mesh.close();
      throw e;
    }
  }

  private void startAll(int gateways) throws IOException {
    gatewayCount = gateways;
    CompletableFuture<EmbeddedKafka> broker = CompletableFuture.supplyAsync(() -> {
      try {
        return EmbeddedKafka.start(root.resolve("kafka"), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), 0);
    } finally {
      kafka = broker.join();
    }
    recordPostmaster();
    record(kafka.process());
    for (String service : SERVICES) {
      ports.put(service, freePort());
    }
    for (int i = 0; i < gateways; i++) {
      ports.put(gateway(i), freePort());
    }
    for (String service : ports.keySet()) {
      startService(service);
    }
    awaitReady();
  }

  private static String gateway(int index) {
    return "gateway-" + index;
  }

  int gatewayPort(int index) {
    return ports.get(gateway(index));
  }

  Path root() {
    return root;
  }

  /** Every gateway's readiness (which covers the services behind it, its database and broker) answers 200. */
  void awaitReady() {
    long deadline = System.nanoTime() + READY.toNanos();
    for (int i = 0; i < gatewayCount; i++) {
      String last = "no answer";
      while (true) {
        try {
          HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + gatewayPort(i) + "/readiness")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            break;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(gateway(i) + " not ready within " + READY.toSeconds() + " s: " + last
              + " (service logs in " + root.resolve("logs") + ")");
        }
        sleep(200);
      }
    }
  }

  /** SIGKILL: the process gets no chance to finish anything, as when a node dies. */
  void kill(String service) throws InterruptedException {
    Process process = running.remove(service);
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(service + " pid " + process.pid() + " survived SIGKILL");
    }
  }

  /** SIGSTOP for {@code stopped}, then SIGCONT: a process that hangs (a long GC pause, a frozen VM) and comes back. */
  void pause(String service, Duration stopped) throws IOException, InterruptedException {
    String pid = Long.toString(running.get(service).pid());
    signal("STOP", pid);
    try {
      Thread.sleep(stopped.toMillis());
    } finally {
      signal("CONT", pid);
    }
  }

  private static void signal(String signal, String pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  /** SIGKILL to the broker, then, after {@code outage}, a new broker on the same port and data. */
  void killKafka(Duration outage) throws IOException {
    int port = kafka.port();
    ProcessHandle broker = kafka.process();
    broker.destroyForcibly();
    if (!allGone(List.of(broker))) {
      throw new IllegalStateException("the broker survived SIGKILL");
    }
    sleep(outage.toMillis());
    kafka = EmbeddedKafka.start(root.resolve("kafka"), port);
    record(kafka.process());
  }

  /**
   * SIGKILL to PostgreSQL's postmaster alone: its backends notice and exit, and a new postmaster
   * is started on the same port and data after {@code outage}, recovering from the WAL.
   */
  void killPostmaster(Duration outage) throws IOException {
    int port = postgres.port();
    ProcessHandle postmaster = postgres.process();
    List<ProcessHandle> children = postmaster.children().toList();
    record(children.toArray(ProcessHandle[]::new));
    postmaster.destroyForcibly();
    if (!allGone(List.of(postmaster)) || !allGone(children)) {
      throw new IllegalStateException("PostgreSQL processes outlived their postmaster: " + children);
    }
    postgres.close(); // lets go of the data folder (its lock, the watchdog): the server is gone already
    sleep(outage.toMillis());
    postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), port);
    recordPostmaster();
  }

  /**
   * SIGKILL to one backend serving a client: the postmaster takes it for a crash, ends every other
   * backend and recovers from the WAL on the same port, with no one restarting it.
   */
  void killBackend() throws IOException {
    ProcessHandle backend = postgres.process().children()
        .filter(child -> processTitle(child).contains("127.0.0.1("))
        .findFirst().orElseThrow(() -> new IllegalStateException("no client backend of PostgreSQL to kill"));
    record(backend);
    backend.destroyForcibly();
    if (!allGone(List.of(backend))) {
      throw new IllegalStateException("a backend survived SIGKILL");
    }
    recordPostmaster();
  }

  /** What {@code ps} shows for a process: PostgreSQL's backends name their client there. */
  private static String processTitle(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /** Starts {@code service} again, on its port, with its environment. */
  void restart(String service) throws IOException {
    startService(service);
  }

  /** Stops the broker (a clean shutdown), keeps it away for {@code outage}, and starts it on the same port and data. */
  void restartKafka(Duration outage) throws IOException {
    int port = kafka.port();
    kafka.close();
    sleep(outage.toMillis());
    kafka = EmbeddedKafka.start(root.resolve("kafka"), port);
    record(kafka.process());
  }

  /** Stops PostgreSQL (pg_ctl fast shutdown), keeps it away for {@code outage}, and starts it on the same port and data. */
  void restartPostgres(Duration outage) throws IOException {
    int port = postgres.port();
    recordPostmaster(); // its backends of the moment too
    postgres.close();
    sleep(outage.toMillis());
    postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), port);
    recordPostmaster();
  }

  /**
   * A crash of PostgreSQL: SIGKILL to every process of the server but the postmaster (its backends,
   * WAL writer, checkpointer…), as when the kernel's OOM killer strikes. The postmaster then ends
   * whatever is left, throws away shared memory (with any WAL not yet written) and recovers from
   * the WAL on disk, on the same port, as it would in production.
   */
  void crashPostgres() throws IOException {
    long pid = Long.parseLong(Files.readAllLines(root.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> children = postmaster.children().toList();
    record(children.toArray(ProcessHandle[]::new));
    children.forEach(ProcessHandle::destroyForcibly);
    if (!allGone(children)) {
      throw new IllegalStateException("PostgreSQL processes survived SIGKILL: " + children);
    }
    recordPostmaster();
  }

  private void record(ProcessHandle... processes) {
    synchronized (started) {
      started.addAll(List.of(processes));
    }
  }

  /** Every process this fixture started, the killed and restarted ones included, and PostgreSQL's. */
  List<ProcessHandle> everyProcess() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  private void startService(String name) throws IOException {
    String service = name.startsWith("gateway") ? "gateway" : name;
    Path jar = Path.of("..", "services", service, "target", "meshcode-" + service + ".jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the package phase builds it (./mvnw verify -pl local -am)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-Djava.io.tmpdir=" + Files.createDirectories(root.resolve("tmp")));
    command.addAll(List.of("-jar", jar.toString()));
    Path log = Files.createDirectories(root.resolve("logs")).resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment(name));
    Process process = builder.start();
    process.getOutputStream().close();
    record(process.toHandle());
    running.put(name, process);
  }

  private Map<String, String> environment(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("MESHCODE_HTTP_HOST", "127.0.0.1");
    env.put("MESHCODE_HTTP_PORT", Integer.toString(ports.get(name)));
    env.put("MESHCODE_DB_HOST", postgres.host());
    env.put("MESHCODE_DB_PORT", Integer.toString(postgres.port()));
    env.put("MESHCODE_DB_NAME", postgres.database());
    env.put("MESHCODE_DB_USER", postgres.user());
    env.put("MESHCODE_DB_PASSWORD", postgres.password());
    env.put("MESHCODE_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", keys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", "2");
    env.putAll(serviceEnv);
    if (name.startsWith("gateway")) {
      env.put("MESHCODE_INTERNAL_PRIVATE_KEY", keys.privateKeyPem());
      env.put("MESHCODE_BOOTSTRAP_KEY", adminKey);
      // The test's clients send far more than a person's editor does.
      env.put("MESHCODE_RATE_LIMIT_PER_MINUTE", "1000000");
      env.put("MESHCODE_KEY_FAILURES_PER_MINUTE", "1000000");
      for (String service : SERVICES) {
        env.put("MESHCODE_" + service.toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get(service));
      }
    }
    return env;
  }

  private void recordPostmaster() {
    try {
      List<String> pid = Files.readAllLines(root.resolve("postgres").resolve("postmaster.pid"));
      ProcessHandle.of(Long.parseLong(pid.get(0).trim())).ifPresent(postmaster -> {
        record(postmaster);
        record(postmaster.descendants().toArray(ProcessHandle[]::new));
      });
    } catch (IOException | RuntimeException e) {
      // No running postmaster to record.
    }
  }

  /** Gateways first, then the services (SIGTERM, SIGKILL after 10 s), then the broker and PostgreSQL. */
  @Override
  public void close() {
    killServices();
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      recordPostmaster();
      postgres.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran.
    }
  }

  private void killServices() {
    List<Process> stopping = new ArrayList<>();
    List<String> order = new ArrayList<>(running.keySet());
    order.sort((a, b) -> Boolean.compare(!a.startsWith("gateway"), !b.startsWith("gateway")));
    for (String name : order) {
      Process process = running.get(name);
      process.toHandle().destroy();
      stopping.add(process);
    }
    for (Process process : stopping) {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }

  /** True when none of {@code processes} still runs after a short grace. */
  static boolean allGone(List<ProcessHandle> processes) {
    return processes.stream().allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(10)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
