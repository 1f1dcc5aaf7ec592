package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.embedded.Processes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local mesh under faults of its own processes, run as the README runs it (the jar in a
 * process of its own): a killed broker or postmaster is restarted and readiness says so meanwhile;
 * a killed mesh leaves nothing behind and starts again on its data; SIGTERM stops it within its
 * grace plus a few seconds even while its broker is dead and cannot come back. One test, since
 * each phase starts where the one before left the mesh (and a start costs seconds).
 */
@DisplayName("The local mesh under faults")
class SupervisionIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration RECOVERY = Duration.ofSeconds(60);
  /** The services' shutdown grace in the local mesh, plus a few seconds for the rest. */
  private static final Duration STOP_LIMIT = LocalMesh.SHUTDOWN_GRACE.plusSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path home;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  @DisplayName("restarts a broker or postmaster killed with SIGKILL and says so meanwhile; a SIGKILL of the mesh leaves no"
      + " child behind and the next start finds the data; SIGTERM with the broker dead stops within the grace plus a few seconds")
  void survivesItsOwnFaults() throws Exception {
    int port = freePort();
    String ownerKey;
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(port))) {
      mesh.awaitRunning(START);
      ownerKey = mesh.ownerKey();
      Api api = new Api(mesh.gatewayUrl(), ownerKey);
      api.expect(201, "POST", "/v1/meshworks", "{\"name\":\"faults\"}");
      api.expect(201, "POST", "/v1/meshworks/faults/agents", "{\"name\":\"a\"}");
      api.expect(201, "POST", "/v1/meshworks/faults/agents", "{\"name\":\"b\"}");
      roundTrip(api, "before any fault");

      restartsWhatDies(mesh, api);
      leavesNoChildWhenKilled(mesh);
    }

    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(port))) {
      mesh.awaitRunning(START);
      assertThat(mesh.ownerKey()).as("the data folder survived").isEqualTo(ownerKey);
      Api api = new Api(mesh.gatewayUrl(), ownerKey);
      roundTrip(api, "after the mesh's SIGKILL and a new start");
      stopsInTimeWithTheBrokerDead(mesh, api);
    }
  }

  private void restartsWhatDies(LocalMeshProcess mesh, Api api) throws Exception {
    long brokerPid = brokerPid();
    ProcessHandle.of(brokerPid).orElseThrow().destroyForcibly();
    Duration kafkaBack = awaitRecovery(api, "restarting kafka exited with code 137");
    roundTrip(api, "after the broker's restart");
    assertThat(brokerPid()).as("a new broker").isNotEqualTo(brokerPid);

    long postmasterPid = postmasterPid();
    ProcessHandle.of(postmasterPid).orElseThrow().destroyForcibly();
    Duration postgresBack = awaitRecovery(api, "restarting postgres exited with code 137");
    roundTrip(api, "after PostgreSQL's restart");
    assertThat(postmasterPid()).as("a new postmaster").isNotEqualTo(postmasterPid);

    System.out.printf("supervision: ready again %d ms after the broker's SIGKILL, %d ms after the postmaster's%n",
        kafkaBack.toMillis(), postgresBack.toMillis());
    assertThat(mesh.output())
        .contains("kafka exited with code 137").contains("kafka is running again")
        .contains("postgres exited with code 137").contains("postgres is running again");
  }

  private void leavesNoChildWhenKilled(LocalMeshProcess mesh) throws Exception {
    List<ProcessHandle> children = meshProcesses(mesh);
    assertThat(children).as("broker, PostgreSQL's watchdog, postmaster and its workers").hasSizeGreaterThanOrEqualTo(4);
    mesh.handle().destroyForcibly();
    long killed = System.nanoTime();
    assertThat(children).as("nothing outlives the mesh").allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(30)));
    System.out.printf("supervision: every child gone %d ms after the mesh's SIGKILL%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
  }

  private void stopsInTimeWithTheBrokerDead(LocalMeshProcess mesh, Api api) throws Exception {
    List<ProcessHandle> children = meshProcesses(mesh);
    // The broker dies and cannot come back: its port is taken.
    int brokerPort = brokerPort();
    ProcessHandle.of(brokerPid()).orElseThrow().destroyForcibly();
    try (ServerSocket taken = takePort(brokerPort)) {
      // Accepted while the broker is away: the outbox relays' producers now hold records they cannot deliver.
      api.expect(201, "POST", "/v1/meshworks/faults/agents", "{\"name\":\"c\"}");
      api.expect(201, "POST", "/v1/meshworks/faults/agents/a/messages", "{\"to\":\"b\",\"text\":\"while the broker is dead\"}");
      // Stopped while restarts are being tried (one may be under way: it must be given up too).
      String down = awaitReadinessContaining(api, "(attempt ");
      assertThat(down).contains("restarting kafka exited with code 137");
      children.addAll(meshProcesses(mesh));

      long stopping = System.nanoTime();
      mesh.terminate();
      int exit = mesh.awaitExit(Duration.ofSeconds(90));
      Duration took = Duration.ofNanos(System.nanoTime() - stopping);
      System.out.printf("supervision: stopped %d ms after SIGTERM with the broker dead%n", took.toMillis());
      assertThat(exit).as(mesh.output()).isIn(0, 143);
      assertThat(mesh.output()).contains("Stopped.");
      assertThat(took).as("stop time with the broker dead").isLessThan(STOP_LIMIT);
      assertThat(children).allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(10)));
    }
  }

  /** A message sent from a to b reaches a wait parked on b. */
  private static void roundTrip(Api api, String when) throws Exception {
    CompletableFuture<JsonObject> parked = CompletableFuture.supplyAsync(() ->
        api.expect(200, "GET", "/v1/meshworks/faults/agents/b/wait?timeout=20", null));
    Thread.sleep(300);
    JsonObject sent = api.expect(201, "POST", "/v1/meshworks/faults/agents/a/messages",
        new JsonObject().put("to", "b").put("text", when).encode());
    JsonObject batch = parked.get(25, TimeUnit.SECONDS);
    assertThat(batch.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("text"))).as(when).contains(when);
    api.expect(200, "POST", "/v1/meshworks/faults/agents/b/ack", new JsonObject().put("cursor", batch.getString("cursor")).encode());
    assertThat(sent.getString("id")).isNotBlank();
  }

  /** Sees readiness say {@code detail} while down, then waits until it answers 200; returns how long that took. */
  private static Duration awaitRecovery(Api api, String detail) throws Exception {
    long started = System.nanoTime();
    String down = awaitReadinessContaining(api, detail);
    assertThat(down).contains("\"local-mesh\":{\"status\":\"DOWN\"");
    long deadline = started + RECOVERY.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = api.readiness();
      if (last != null && last.statusCode() == 200) {
        return Duration.ofNanos(System.nanoTime() - started);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready again within " + RECOVERY + ": " + (last == null ? "no answer" : last.body()));
  }

  private static String awaitReadinessContaining(Api api, String detail) throws Exception {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = api.readiness();
      if (response != null) {
        last = response.body();
        if (response.statusCode() == 503 && last.contains(detail)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("readiness never said '" + detail + "'; last: " + last);
  }

  private long brokerPid() throws IOException {
    return Long.parseLong(brokerRecord().getProperty("broker.pid"));
  }

  private int brokerPort() throws IOException {
    Properties server = new Properties();
    try (var in = Files.newBufferedReader(home.resolve("dev/kafka/server.properties"))) {
      server.load(in);
    }
    String advertised = server.getProperty("advertised.listeners");
    return Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
  }

  private Properties brokerRecord() throws IOException {
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(home.resolve("dev/kafka/broker.pid"))) {
      props.load(in);
    }
    return props;
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(home.resolve("dev/postgres/postmaster.pid")).get(0).trim());
  }

  private List<ProcessHandle> meshProcesses(LocalMeshProcess mesh) throws IOException {
    List<ProcessHandle> processes = new ArrayList<>(mesh.handle().descendants().toList());
    ProcessHandle.of(postmasterPid()).ifPresent(postmaster -> {
      processes.add(postmaster);
      processes.addAll(postmaster.descendants().toList());
    });
    return processes;
  }

  private static ServerSocket takePort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      ServerSocket socket = new ServerSocket();
      try {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
      } catch (IOException e) {
        socket.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The gateway, called with the owner key. */
  private record Api(String url, String key) {

    JsonObject expect(int status, String method, String path, String body) {
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    HttpResponse<String> readiness() throws InterruptedException {
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/readiness")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return null;
      }
    }
  }
}
