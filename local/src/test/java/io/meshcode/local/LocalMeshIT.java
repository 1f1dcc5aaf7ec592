package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.embedded.Processes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end: the real jar in its own process, with an embedded
 * PostgreSQL and Kafka broker, checked through the gateway the way a user's tools reach it.
 */
@DisplayName("The local mesh")
class LocalMeshIT {

  private static final Duration START = Duration.ofSeconds(120);
  /** Ten service JVMs on two shared cores: the mesh itself waits up to 290 s for them (LocalMesh.readyTimeout), this a little longer. */
  private static final Duration REPLICAS_START = Duration.ofSeconds(360);
  private static final Duration STOP = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path home;

  @Test
  @DisplayName("starts every service, Kafka and PostgreSQL, keeps its data across a restart, and leaves no process behind")
  void startsServesAndStopsCleanly() throws Exception {
    int port = freePort();
    String ownerKey;
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(port))) {
      mesh.awaitRunning(START);
      assertThat(mesh.gatewayUrl()).isEqualTo("http://127.0.0.1:" + port);
      ownerKey = mesh.ownerKey();

      HttpResponse<String> readiness = get(mesh.gatewayUrl() + "/readiness", null);
      assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
      JsonObject checks = new JsonObject(readiness.body()).getJsonObject("checks");
      assertThat(checks.fieldNames()).containsExactlyInAnyOrder("postgres", "kafka", "bus", "memory", "tasks", "invites", "local-mesh");
      checks.forEach(check -> assertThat(((JsonObject) check.getValue()).getString("status")).as(check.getKey()).isEqualTo("UP"));

      HttpResponse<String> me = get(mesh.gatewayUrl() + "/v1/me", ownerKey);
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(new JsonObject(me.body()).getString("kind")).isEqualTo("owner");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dev/owner.key")))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dev")))).as("the data folder").isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dev/postgres/superuser.password"))))
          .as("the database's password").isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dev/kafka/broker.log")))).isEqualTo("rw-------");
      // Five services share this JVM; each must still count its own requests.
      assertThat(get(mesh.gatewayUrl() + "/metrics", ownerKey).body()).as("the gateway's metrics, for the admin's key")
          .contains("vertx_http_server_requests_total{");

      String mw = "{\"name\":\"demo\"}";
      assertThat(send("POST", mesh.gatewayUrl() + "/v1/meshworks", ownerKey, mw).statusCode()).isEqualTo(201);
      assertThat(send("POST", mesh.gatewayUrl() + "/v1/meshworks/demo/agents", ownerKey, "{\"name\":\"backend\"}").statusCode()).isEqualTo(201);
      HttpResponse<String> invite = send("POST", mesh.gatewayUrl() + "/v1/meshworks/demo/invites", ownerKey, "{\"agent\":\"backend\"}");
      assertThat(new JsonObject(invite.body()).getString("join_url")).as("join URLs point at this gateway")
          .startsWith(mesh.gatewayUrl() + "/join/mc_inv_");

      assertThat(mesh.output()).contains("Dashboard:  " + mesh.gatewayUrl() + "/dashboard   (sign in: meshcode dashboard)");
      HttpResponse<String> ticket = send("POST", mesh.gatewayUrl() + "/v1/tickets", ownerKey, "{}");
      assertThat(new JsonObject(ticket.body()).getString("url")).as("dashboard links point at this gateway")
          .startsWith(mesh.gatewayUrl() + "/dashboard#ticket=mc_tk_");
      HttpResponse<String> dashboard = get(mesh.gatewayUrl() + "/dashboard", null);
      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).contains("dashboard/app.js");

      List<ProcessHandle> children = meshProcesses(mesh);
      assertThat(children).as("the broker and PostgreSQL run as processes of their own").hasSizeGreaterThanOrEqualTo(3);

      mesh.terminate();
      int exit = mesh.awaitExit(STOP);
      assertThat(exit).as(mesh.output()).isIn(0, 143);
      assertThat(mesh.output()).as("exit " + exit).contains("Stopped.");
      assertThat(children).as("no broker or postgres process is left")
          .allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(10)));
    }

    try (LocalMeshProcess again = LocalMeshProcess.start(home, Map.of("MESHCODE_PORT", Integer.toString(port)))) {
      again.awaitRunning(START);
      assertThat(again.ownerKey()).as("the data folder survived the restart").isEqualTo(ownerKey);
      assertThat(get(again.gatewayUrl() + "/v1/me", ownerKey).statusCode()).isEqualTo(200);

      try (LocalMeshProcess second = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(freePort()))) {
        assertThat(second.awaitExit(STOP)).isEqualTo(3);
        assertThat(second.output()).contains("already running on " + home.resolve("dev"));
      }
      again.terminate();
      again.awaitExit(STOP);
    }

    try (LocalMeshProcess fresh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(port), "--fresh")) {
      fresh.awaitRunning(START);
      assertThat(fresh.ownerKey()).as("--fresh wipes the data, so a new key is made").isNotEqualTo(ownerKey);
      assertThat(get(fresh.gatewayUrl() + "/v1/me", ownerKey).statusCode()).isEqualTo(401);
      fresh.terminate();
      fresh.awaitExit(STOP);
    }
  }

  @Test
  @DisplayName("--replicas 2 runs two processes of every service behind the gateway port, and SIGTERM stops them all")
  void replicas() throws Exception {
    int port = freePort();
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(port), "--replicas", "2")) {
      mesh.awaitRunning(REPLICAS_START);
      assertThat(mesh.output()).contains("2 gateway, 2 bus, 2 memory, 2 tasks, 2 invites, as separate processes");
      String ownerKey = mesh.ownerKey();
      assertThat(send("POST", mesh.gatewayUrl() + "/v1/meshworks", ownerKey, "{\"name\":\"twice\"}").statusCode()).isEqualTo(201);
      assertThat(send("POST", mesh.gatewayUrl() + "/v1/meshworks/twice/agents", ownerKey, "{\"name\":\"backend\"}").statusCode())
          .isEqualTo(201);
      HttpResponse<String> invite = send("POST", mesh.gatewayUrl() + "/v1/meshworks/twice/invites", ownerKey, "{\"agent\":\"backend\"}");
      assertThat(new JsonObject(invite.body()).getString("join_url")).as("join URLs point at the gateways' port")
          .startsWith("http://127.0.0.1:" + port + "/join/mc_inv_");

      List<ProcessHandle> services = mesh.handle().children()
          .filter(child -> child.info().commandLine().orElse("").matches(".*io\\.meshcode\\.\\w+\\.Main.*"))
          .toList();
      assertThat(services).as("a process per replica").hasSize(10);
      assertThat(services).as("no secret on a command line, where any local user could read it")
          .noneMatch(child -> child.info().commandLine().orElse("").contains("mc_"));
      for (String service : ReplicatedServices.SERVICES) {
        for (int i = 0; i < 2; i++) {
          assertThat(home.resolve("dev/logs/" + service + "-" + i + ".log")).as("its log").exists();
        }
      }

      List<ProcessHandle> children = meshProcesses(mesh);
      mesh.terminate();
      assertThat(mesh.awaitExit(STOP)).as(mesh.output()).isIn(0, 143);
      assertThat(children).as("no replica, broker or postgres process is left")
          .allMatch(process -> Processes.awaitExit(process, Duration.ofSeconds(10)));
    }
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--replicas", "gateway=2,cache=2")) {
      assertThat(mesh.awaitExit(STOP)).isEqualTo(2);
      assertThat(mesh.output().strip()).startsWith("--replicas: expected a count 1-8 for every service, or service=count pairs");
    }
  }

  @Test
  @DisplayName("uses MESHCODE_BOOTSTRAP_KEY as the owner key when it is given")
  void bootstrapKey() throws Exception {
    String key = "mc_" + "A1b2C3d4".repeat(5);
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of("MESHCODE_BOOTSTRAP_KEY", key), "--port", Integer.toString(freePort()))) {
      mesh.awaitRunning(START);
      assertThat(mesh.ownerKey()).isEqualTo(key);
      assertThat(get(mesh.gatewayUrl() + "/v1/me", key).statusCode()).isEqualTo(200);
      mesh.terminate();
      mesh.awaitExit(STOP);
    }
  }

  @Test
  @DisplayName("names a port that is in use in one line, and starts nothing")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of(), "--port", Integer.toString(taken.getLocalPort()))) {
      assertThat(mesh.awaitExit(STOP)).isEqualTo(4);
      assertThat(mesh.output().strip()).isEqualTo("Port " + taken.getLocalPort()
          + " is already in use: stop what uses it, or choose another with --port or MESHCODE_PORT.");
    }
  }

  @Test
  @DisplayName("stops at a bad environment value with one line naming the variable")
  void badEnvironment() throws Exception {
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of("MESHCODE_PORT", "eighty"))) {
      assertThat(mesh.awaitExit(STOP)).isEqualTo(2);
      assertThat(mesh.output().strip()).isEqualTo("MESHCODE_PORT: expected a port number 0-65535, got 'eighty'");
    }
    try (LocalMeshProcess mesh = LocalMeshProcess.start(home, Map.of("MESHCODE_BOOTSTRAP_KEY", "not-a-key"))) {
      assertThat(mesh.awaitExit(STOP)).isEqualTo(2);
      assertThat(mesh.output().strip()).startsWith("MESHCODE_BOOTSTRAP_KEY: expected an owner key");
    }
  }

  /** The mesh's child processes, and PostgreSQL's, which pg_ctl detaches from its parent. */
  private List<ProcessHandle> meshProcesses(LocalMeshProcess mesh) throws IOException {
    List<ProcessHandle> processes = new java.util.ArrayList<>(mesh.handle().descendants().toList());
    long postmaster = Long.parseLong(Files.readAllLines(home.resolve("dev/postgres/postmaster.pid")).get(0).trim());
    ProcessHandle.of(postmaster).ifPresent(handle -> {
      processes.add(handle);
      processes.addAll(handle.descendants().toList());
    });
    return processes;
  }

  private static HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
    return send("GET", url, key, null);
  }

  private static HttpResponse<String> send(String method, String url, String key, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
