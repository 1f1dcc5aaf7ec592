package io.meshcode.local;

import io.meshcode.bus.BusSettings;
import io.meshcode.bus.BusVerticle;
import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.EnvConfig;
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
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole mesh on one machine: an embedded PostgreSQL and Kafka broker (each its own process)
 * and the five services, each in its own Vert.x instance on its own loopback port, talking HTTP
 * to each other exactly as they do on Kubernetes.
 */
final class LocalMesh implements AutoCloseable {

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private static final Map<String, ServiceFactory> BACKENDS = new LinkedHashMap<>();

  static {
    BACKENDS.put("bus", (env, metrics) -> new BusVerticle(BusSettings.from(env, 0), metrics));
    BACKENDS.put("memory", (env, metrics) -> new MemoryVerticle(ServiceSettings.from(env, "memory", 0), metrics));
    BACKENDS.put("tasks", (env, metrics) -> new TasksVerticle(TasksSettings.from(env, 0), metrics));
    BACKENDS.put("invites", (env, metrics) -> new InvitesVerticle(InvitesSettings.from(env, 0), metrics));
  }

  private final PrintStream out;
  private final List<RunningService> services = new ArrayList<>();
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafka kafka;
  private String gatewayUrl;

  /**
   * Variables never passed on: the launcher's own (which mean something else to a service) and
   * what the local mesh decides itself, in any form (inline or {@code _FILE}).
   */
  private static final java.util.regex.Pattern NOT_PASSED_ON = java.util.regex.Pattern.compile(
      "MESHCODE_(HOME|PORT|LOG_LEVEL|HTTP_.*|DB_.*|KAFKA_BOOTSTRAP|INTERNAL_.*|BOOTSTRAP_KEY.*|PUBLIC_URL|[A-Z]+_URL)");

  LocalMesh(PrintStream out) {
    this.out = out;
  }

  /** Starts everything and returns once the gateway reports the whole mesh ready. */
  void start(DataFolder data, int gatewayPort, String ownerKey, InternalKeys keys) throws Exception {
    long started = System.nanoTime();
    // Held while PostgreSQL, Kafka and the services pick free ports, so none of them picks the gateway's.
    java.net.ServerSocket gatewayPortHold = holdPort(gatewayPort);
    out.println("Starting PostgreSQL and Kafka in " + data.root() + " …");
    CompletableFuture<EmbeddedKafka> broker = CompletableFuture.supplyAsync(() -> {
      try {
        return EmbeddedKafka.start(data.kafka(), 0).withoutShutdownHook();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      postgres = EmbeddedPostgresServer.start(data.postgres(), 0).withoutShutdownHook();
    } finally {
      kafka = join(broker);
    }
    out.printf("  PostgreSQL on port %d, Kafka on port %d (%.1f s)%n", postgres.port(), kafka.port(), seconds(started));

    Map<String, String> common = commonEnv(keys);
    if (gatewayPort != 0) {
      common.put("MESHCODE_PUBLIC_URL", "http://127.0.0.1:" + gatewayPort);
    }
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
    gatewayEnv.put("MESHCODE_INTERNAL_PRIVATE_KEY", keys.privateKeyPem());
    gatewayEnv.put("MESHCODE_BOOTSTRAP_KEY", ownerKey);
    RunningService gateway = ServiceLauncher.start("gateway", new EnvConfig(gatewayEnv),
            (env, metrics) -> new GatewayVerticle(GatewaySettings.from(env), metrics))
        .get(60, TimeUnit.SECONDS);
    services.add(0, gateway);
    gatewayUrl = "http://127.0.0.1:" + gateway.port();
    out.printf("  services listening, waiting for the mesh to be ready (%.1f s)%n", seconds(started));
    awaitReady();
    out.printf("Ready in %.1f s.%n", seconds(started));
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

  /**
   * What every service gets: the launcher's own MESHCODE_* settings (so a user can tune, say, the
   * rate limit or the wait time), overridden by what the local mesh decides itself (addresses,
   * database, broker, keys).
   */
  private Map<String, String> commonEnv(InternalKeys keys) {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((name, value) -> {
      if (name.startsWith("MESHCODE_") && !NOT_PASSED_ON.matcher(name).matches()) {
        env.put(name, value);
      }
    });
    env.putAll(ownEnv(keys));
    return env;
  }

  private Map<String, String> ownEnv(InternalKeys keys) {
    Map<String, String> env = ServiceSettings.loopbackEnvironment(
        new DatabaseSettings(postgres.host(), postgres.port(), postgres.database(), postgres.user(), postgres.password(), 8),
        kafka.bootstrapServers(),
        keys.publicKeyPem());
    env.put("MESHCODE_KAFKA_PARTITIONS", "3");
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", keys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", "5");
    return env;
  }

  /** Polls the gateway's readiness, which covers every service, PostgreSQL and Kafka. */
  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(gatewayUrl + "/readiness")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
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
    throw new IllegalStateException("the mesh was not ready after " + READY_TIMEOUT.toSeconds() + " s: " + last);
  }

  /** Stops the edge first, then the services, then the broker and the database. Safe to call twice. */
  @Override
  public void close() {
    for (RunningService service : services) {
      ServiceLauncher.stopQuietly(service);
    }
    services.clear();
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
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
