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
 * broker (never the test kit's shared ones, since these get restarted), and as many replicas of
 * every service as asked for, each its own JVM on a port fixed for the life of the fixture, behind
 * a {@link RoundRobinProxy} per service ({@link ReplicatedServices}), so that anything restarted
 * comes back where the others look for it. It stops, kills, restarts and pauses them on demand,
 * by replica name ({@code bus-0}, {@code gateway-1}). Everything it started is stopped by {@link
 * #close()} (and, should the test JVM exit first, by a shutdown hook), and {@link #everyProcess()}
 * lists it all for a check that nothing outlives the test.
 */
final class MeshProcesses implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final List<String> JVM_OPTIONS = List.of(
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  final String adminKey = SecretKeys.generate(SecretKeys.OWNER);
  private final InternalKeys keys = InternalKeys.generate();
  private final Path root;
  private final List<ProcessHandle> started = new ArrayList<>();
  private final Thread killOnExit = new Thread(this::stopServices, "mesh-processes-kill");
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafka kafka;
  private final Map<String, String> serviceEnv;
  private ReplicatedServices services;

  private MeshProcesses(Path root, Map<String, String> serviceEnv) {
    this.root = root;
    this.serviceEnv = serviceEnv;
  }

  /** One of each service but {@code gateways} gateways, all ready. */
  static MeshProcesses start(Path root, int gateways) throws IOException {
    return start(root, replicas(1, gateways), Map.of());
  }

  /** {@code count} replicas of every service but the gateway, of which there are {@code gateways}. */
  static Map<String, Integer> replicas(int count, int gateways) {
    Map<String, Integer> replicas = new LinkedHashMap<>();
    for (String service : ReplicatedServices.SERVICES) {
      replicas.put(service, service.equals("gateway") ? gateways : count);
    }
    return replicas;
  }

  /** PostgreSQL, the broker and {@code replicas} of each service, all ready, with {@code serviceEnv} added to every one's environment. */
  static MeshProcesses start(Path root, Map<String, Integer> replicas, Map<String, String> serviceEnv) throws IOException {
    MeshProcesses mesh = new MeshProcesses(root, serviceEnv);
    Runtime.getRuntime().addShutdownHook(mesh.killOnExit);
    try {
      mesh.startAll(replicas);
      return mesh;
    } catch (IOException | RuntimeException | Error e) {
      mesh.close();
      throw e;
    }
  }

  private void startAll(Map<String, Integer> replicas) throws IOException {
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
    services = ReplicatedServices.start(replicas, environment(), gatewayEnvironment(), 0,
        ReplicatedServices.Launch.ofThisJvm(JVM_OPTIONS, root.resolve("logs"), root.resolve("tmp")), System.out);
    awaitReady();
  }

  /** The replicas, to stop, kill or restart one, or to reach one directly. */
  ReplicatedServices services() {
    return services;
  }

  int gatewayPort(int index) {
    return services.port(ReplicatedServices.replica("gateway", index));
  }

  /** The gateways' proxy, as clients behind a load balancer reach them. */
  int publicPort() {
    return services.publicPort();
  }

  Path root() {
    return root;
  }

  /** Every replica answers its readiness (a gateway's covers the services behind it, its database and broker). */
  void awaitReady() {
    try {
      services.awaitReady(READY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage() + " (service logs in " + root.resolve("logs") + ")", e);
    }
  }

  /** SIGKILL to one replica ({@code bus-0}): it gets no chance to finish anything, as when a node dies. */
  void kill(String replica) throws InterruptedException {
    services.kill(replica);
  }

  /** SIGSTOP for {@code stopped}, then SIGCONT: a process that hangs (a long GC pause, a frozen VM) and comes back. */
  void pause(String service, Duration stopped) throws IOException, InterruptedException {
    String pid = Long.toString(services.process(service).pid());
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

  /** Starts {@code replica} again, on its port, with its environment. */
  void restart(String replica) throws IOException {
    services.start(replica);
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
    List<ProcessHandle> every = new ArrayList<>(services == null ? List.of() : services.everyProcess());
    synchronized (started) {
      every.addAll(started);
    }
    return every;
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_DB_HOST", postgres.host());
    env.put("MESHCODE_DB_PORT", Integer.toString(postgres.port()));
    env.put("MESHCODE_DB_NAME", postgres.database());
    env.put("MESHCODE_DB_USER", postgres.user());
    env.put("MESHCODE_DB_PASSWORD", postgres.password());
    env.put("MESHCODE_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", keys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", "2");
    env.putAll(serviceEnv);
    return env;
  }

  private Map<String, String> gatewayEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", keys.privateKeyPem());
    env.put("MESHCODE_BOOTSTRAP_KEY", adminKey);
    // The test's clients send far more than a person's editor does.
    env.put("MESHCODE_RATE_LIMIT_PER_MINUTE", "1000000");
    env.put("MESHCODE_KEY_FAILURES_PER_MINUTE", "1000000");
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

  /** The services (gateways first, SIGTERM, SIGKILL after a while), then the broker and PostgreSQL. */
  @Override
  public void close() {
    stopServices();
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

  private void stopServices() {
    if (services != null) {
      services.close();
    }
  }

  /** True when none of {@code processes} still runs after a short grace. */
  static boolean allGone(List<ProcessHandle> processes) {
    return processes.stream().allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(10)));
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
