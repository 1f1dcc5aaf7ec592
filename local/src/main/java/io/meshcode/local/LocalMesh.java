package io.meshcode.local;

import io.meshcode.bus.BusSettings;
import io.meshcode.bus.BusVerticle;
import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.logging.LogSettings;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.meshcode.embedded.EmbeddedPostgresServer;
import io.meshcode.gateway.GatewaySettings;
import io.meshcode.gateway.GatewayVerticle;
import io.meshcode.invites.InvitesSettings;
import io.meshcode.invites.InvitesVerticle;
import io.meshcode.memory.MemoryVerticle;
import io.meshcode.tasks.TasksSettings;
import io.meshcode.tasks.TasksVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole mesh on one machine: an embedded PostgreSQL and Kafka broker (each its own process)
 * and the five services, each in its own Vert.x instance on its own loopback port, talking HTTP
 * to each other exactly as they do on Kubernetes.
 *
 * <p>The broker and PostgreSQL are {@linkplain Supervised supervised}: either is started again,
 * on its port and data, when it dies, and the gateway's readiness has a {@value #READINESS_CHECK}
 * check that says what is being restarted meanwhile. Stopping takes at most the services'
 * shutdown grace plus a few seconds whatever state the mesh is in: a service that has not stopped
 * by then (a Kafka producer waiting out its delivery timeout for a dead broker) is left to the
 * JVM's exit; what it had accepted is in PostgreSQL already.
 */
final class LocalMesh implements AutoCloseable {

  /** How long the mesh may take to be ready with every service in this JVM. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  /**
   * What each service process adds to that with {@code --replicas}: on a laptop's two busy cores,
   * ten JVMs starting side by side have taken over two minutes.
   */
  static final Duration READY_TIMEOUT_PER_PROCESS = Duration.ofSeconds(20);
  static final String READINESS_CHECK = "local-mesh";
  /** Each service's own drain time, {@code MESHCODE_SHUTDOWN_GRACE_SECONDS}. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  /** How long the gateway may take to stop beyond its grace, before the services behind it are stopped anyway. */
  private static final Duration GATEWAY_STOP_SLACK = Duration.ofSeconds(1);
  /** How long all services together may take beyond the grace. */
  private static final Duration SERVICES_STOP_SLACK = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(LocalMesh.class);
  private static final Map<String, ServiceFactory> BACKENDS = new LinkedHashMap<>();

  static {
    BACKENDS.put("bus", (env, metrics) -> new BusVerticle(BusSettings.from(env, 0), metrics));
    BACKENDS.put("memory", (env, metrics) -> new MemoryVerticle(ServiceSettings.from(env, "memory", 0), metrics));
    BACKENDS.put("tasks", (env, metrics) -> new TasksVerticle(TasksSettings.from(env, 0), metrics));
    BACKENDS.put("invites", (env, metrics) -> new InvitesVerticle(InvitesSettings.from(env, 0), metrics));
  }

  private final PrintStream out;
  private final List<RunningService> services = new CopyOnWriteArrayList<>();
  private final List<Supervised<?>> supervised = new CopyOnWriteArrayList<>();
  private volatile boolean closing;
  private volatile Supervised<EmbeddedPostgresServer> postgres;
  private volatile Supervised<EmbeddedKafka> kafka;
  private volatile ReplicatedServices replicated;
  private String gatewayUrl;

  /**
   * Variables never passed on: the launcher's own (which mean something else to a service) and
   * what the local mesh decides itself, in any form (inline or {@code _FILE}).
   */
  private static final java.util.regex.Pattern NOT_PASSED_ON = java.util.regex.Pattern.compile(
      "MESHCODE_(HOME|PORT|LOG_LEVEL|HTTP_.*|DB_.*|KAFKA_BOOTSTRAP|INTERNAL_.*|BOOTSTRAP_KEY.*|PUBLIC_URL|[A-Z]+_URL)");

  /** The local mesh's log level when MESHCODE_LOG_LEVEL is unset: quieter than a service's, as the terminal shows its own lines. */
  static final String LOG_LEVEL = "warn";

  LocalMesh(PrintStream out) {
    this.out = out;
  }

  /**
   * Starts everything and returns once the gateway reports the whole mesh ready: the services in
   * this JVM, or, when {@code replicas} names a count for each service, that many replicas of each
   * as separate processes.
   */
  void start(DataFolder data, int gatewayPort, String ownerKey, InternalKeys keys, Map<String, Integer> replicas) throws Exception {
    long started = System.nanoTime();
    // Held while PostgreSQL, Kafka and the services pick free ports, so none of them picks the gateway's.
    java.net.ServerSocket gatewayPortHold = holdPort(gatewayPort);
    out.println("Starting PostgreSQL and Kafka in " + data.root() + " …");
    CompletableFuture<Supervised<EmbeddedKafka>> broker = CompletableFuture.supplyAsync(() -> {
      try {
        return superviseKafka(data.kafka());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      postgres = supervisePostgres(data.postgres());
    } finally {
      kafka = join(broker);
    }
    EmbeddedPostgresServer database = postgres.current().orElseThrow();
    EmbeddedKafka brokerNow = kafka.current().orElseThrow();
    out.printf("  PostgreSQL on port %d, Kafka on port %d (%.1f s)%n", database.port(), brokerNow.port(), seconds(started));

    Map<String, String> common = commonEnv(keys, database, brokerNow);
    if (gatewayPort != 0) {
      common.put("MESHCODE_PUBLIC_URL", "http://127.0.0.1:" + gatewayPort);
    }
    Map<String, String> gatewayEnv = new HashMap<>();
    gatewayEnv.put("MESHCODE_INTERNAL_PRIVATE_KEY", keys.privateKeyPem());
    gatewayEnv.put("MESHCODE_BOOTSTRAP_KEY", ownerKey);
    if (replicas.isEmpty()) {
      startInProcess(common, gatewayEnv, gatewayPort, gatewayPortHold);
    } else {
      if (gatewayPortHold != null) {
        gatewayPortHold.close();
      }
      startReplicas(data, common, gatewayEnv, gatewayPort, replicas);
    }
    out.printf("  services listening, waiting for the mesh to be ready (%.1f s)%n", seconds(started));
    awaitReady(readyTimeout(replicas));
    out.printf("Ready in %.1f s.%n", seconds(started));
  }

  /** Every service in this JVM, each in its own Vert.x instance. */
  private void startInProcess(Map<String, String> common, Map<String, String> gatewayOnly, int gatewayPort,
      java.net.ServerSocket gatewayPortHold) throws Exception {
    List<CompletableFuture<RunningService>> backends = new ArrayList<>();
    BACKENDS.forEach((name, factory) -> backends.add(ServiceLauncher.start(name, new EnvConfig(common), factory)));
    Map<String, String> gatewayEnv = new HashMap<>(common);
    for (CompletableFuture<RunningService> backend : backends) {
      RunningService service = backend.get(60, TimeUnit.SECONDS);
      services.add(service);
      gatewayEnv.put("MESHCODE_" + service.name().toUpperCase() + "_URL", "http://127.0.0.1:" + service.port());
    }
    gatewayEnv.put("MESHCODE_HTTP_PORT", Integer.toString(gatewayPort));
    if (gatewayPortHold != null) {
      gatewayPortHold.close();
    }
    gatewayEnv.putAll(gatewayOnly);
    RunningService gateway = ServiceLauncher.start("gateway", new EnvConfig(gatewayEnv),
            (env, metrics) -> new GatewayVerticle(GatewaySettings.from(env), metrics))
        .get(60, TimeUnit.SECONDS);
    services.add(0, gateway);
    // Before anyone has the gateway's address, so no probe runs while the check is added.
    gateway.verticle().readiness().add(READINESS_CHECK, this::supervision);
    gatewayUrl = "http://127.0.0.1:" + gateway.port();
  }

  /**
   * {@code replicas} of each service as separate processes from this JVM's own jar, behind a proxy
   * per service; the gateways' proxy on the gateway port. Their logs go to the data folder.
   */
  private void startReplicas(DataFolder data, Map<String, String> common, Map<String, String> gatewayEnv, int gatewayPort,
      Map<String, Integer> replicas) throws IOException {
    List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC");
    ReplicatedServices.Launch launch = ReplicatedServices.Launch.ofThisJvm(jvmOptions, data.root().resolve("logs"), data.root().resolve("tmp"));
    // Replicas log at the mesh's own level (MESHCODE_LOG_LEVEL is not passed on with the rest).
    Map<String, String> replicaEnv = new HashMap<>(common);
    replicaEnv.put(LogSettings.LEVEL, System.getenv().getOrDefault(LogSettings.LEVEL, LOG_LEVEL));
    replicated = ReplicatedServices.start(replicas, replicaEnv, gatewayEnv, gatewayPort, launch, out);
    out.printf("  %s, as separate processes (logs in %s)%n", describe(replicas), launch.logs());
    gatewayUrl = "http://127.0.0.1:" + replicated.publicPort();
  }

  private static String describe(Map<String, Integer> replicas) {
    List<String> parts = new ArrayList<>();
    ReplicatedServices.SERVICES.forEach(service -> parts.add(replicas.get(service) + " " + service));
    return String.join(", ", parts);
  }

  private static java.net.ServerSocket holdPort(int port) {
    if (port == 0) {
      return null;
    }
    try {
      java.net.ServerSocket socket = new java.net.ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      return null; // taken meanwhile: the gateway's own bind reports it
    }
  }

  String gatewayUrl() {
    return gatewayUrl;
  }

  private Supervised<EmbeddedPostgresServer> supervisePostgres(Path dir) throws IOException {
    int[] port = {0};
    return register(supervise("postgres", () -> {
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, port[0]).withoutShutdownHook();
      port[0] = server.port(); // the services know it: a restart takes the same one
      return server;
    }, EmbeddedPostgresServer::onExit, EmbeddedPostgresServer::close));
  }

  private Supervised<EmbeddedKafka> superviseKafka(Path dir) throws IOException {
    int[] port = {0};
    return register(supervise("kafka", () -> {
      EmbeddedKafka server = EmbeddedKafka.start(dir, port[0]).withoutShutdownHook();
      port[0] = server.port();
      return server;
    }, EmbeddedKafka::onExit, EmbeddedKafka::close));
  }

  private <T> Supervised<T> supervise(String name, Supervised.Starter<T> starter,
      Function<T, CompletableFuture<Integer>> exits, Consumer<T> stopper) throws IOException {
    try {
      return Supervised.start(name, starter, exits, stopper, Supervised.Restarts.DEFAULT, out);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Keeps what was started for {@link #close()}; if the mesh is stopping already, stops it now. */
  private <T> Supervised<T> register(Supervised<T> server) {
    supervised.add(server);
    if (closing) {
      server.close();
      throw new IllegalStateException("the mesh is stopping");
    }
    return server;
  }

  /** The gateway's {@value #READINESS_CHECK} check: down, saying why, while the broker or PostgreSQL is being restarted. */
  private Future<?> supervision() {
    List<String> restarting = new ArrayList<>();
    for (Supervised<?> server : supervised) {
      server.restarting().ifPresent(restarting::add);
    }
    return restarting.isEmpty()
        ? Future.succeededFuture()
        : Future.failedFuture("restarting " + String.join("; ", restarting));
  }

  /**
   * What every service gets: the launcher's own MESHCODE_* settings (so a user can tune, say, the
   * rate limit or the wait time), overridden by what the local mesh decides itself (addresses,
   * database, broker, keys).
   */
  private Map<String, String> commonEnv(InternalKeys keys, EmbeddedPostgresServer postgres, EmbeddedKafka kafka) {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((name, value) -> {
      if (name.startsWith("MESHCODE_") && !NOT_PASSED_ON.matcher(name).matches()) {
        env.put(name, value);
      }
    });
    env.putAll(ownEnv(keys, postgres, kafka));
    return env;
  }

  private static Map<String, String> ownEnv(InternalKeys keys, EmbeddedPostgresServer postgres, EmbeddedKafka kafka) {
    Map<String, String> env = ServiceSettings.loopbackEnvironment(
        new DatabaseSettings(postgres.host(), postgres.port(), postgres.database(), postgres.user(), postgres.password(), 8),
        kafka.bootstrapServers(),
        keys.publicKeyPem());
    env.put("MESHCODE_KAFKA_PARTITIONS", "3");
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", keys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", Long.toString(SHUTDOWN_GRACE.toSeconds()));
    return env;
  }

  /** How long a mesh of these replica counts (empty: every service in this JVM) may take to be ready. */
  static Duration readyTimeout(Map<String, Integer> replicas) {
    int processes = replicas.values().stream().mapToInt(Integer::intValue).sum();
    return READY_TIMEOUT.plus(READY_TIMEOUT_PER_PROCESS.multipliedBy(processes));
  }

  /** Polls the gateway's readiness, which covers every service, PostgreSQL and Kafka. */
  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(gatewayUrl + "/readiness")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the mesh was not ready after " + timeout.toSeconds() + " s: " + last);
  }

  /**
   * Stops the edge first, then the services behind it, then the broker and the database, in at
   * most the grace plus a few seconds for the services and ten seconds each (at once) for the
   * broker and the database. Nothing is restarted from the first moment. Safe to call twice.
   */
  @Override
  public void close() {
    closing = true;
    supervised.forEach(Supervised::stopRestarting);
    long started = System.nanoTime();
    long servicesDeadline = started + SHUTDOWN_GRACE.plus(SERVICES_STOP_SLACK).toNanos();
    List<RunningService> stopping = new ArrayList<>(services);
    services.clear();
    if (replicated != null) {
      replicated.close();
    }
    List<RunningService> backends = new ArrayList<>();
    for (RunningService service : stopping) {
      if (service.name().equals("gateway")) {
        long gatewayDeadline = Math.min(servicesDeadline, started + SHUTDOWN_GRACE.plus(GATEWAY_STOP_SLACK).toNanos());
        awaitStopped(List.of(service), gatewayDeadline);
      } else {
        backends.add(service);
      }
    }
    awaitStopped(backends, servicesDeadline);
    List<CompletableFuture<Void>> servers = supervised.stream()
        .map(server -> CompletableFuture.runAsync(server::close))
        .toList();
    supervised.clear();
    servers.forEach(CompletableFuture::join);
  }

  /** Stops {@code services} all at once and waits for them until {@code deadlineNanos}; a late one is left running. */
  private void awaitStopped(List<RunningService> stopping, long deadlineNanos) {
    Map<RunningService, CompletableFuture<Void>> closes = new LinkedHashMap<>();
    for (RunningService service : stopping) {
      closes.put(service, service.close().toCompletionStage().toCompletableFuture());
    }
    closes.forEach((service, closed) -> {
      try {
        closed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.warn("{} did not stop in time; leaving it to the end of the process", service.name());
      } catch (ExecutionException e) {
        LOG.warn("{} did not stop cleanly: {}", service.name(), e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private static <T> T join(CompletableFuture<T> future) throws IOException {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
