package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's shaded jar as its own process, the way a container runs it: it starts from its
 * environment, gets ready against the real broker and database, and stops gracefully on SIGTERM.
 */
@DisplayName("A service's runnable jar")
class ServiceJarsIT {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bus", "memory", "tasks", "invites", "gateway"})
  @DisplayName("runs as a process, becomes ready, and stops cleanly on SIGTERM")
  void runsAndStops(String service) throws Exception {
    int port = freePort();
    Map<String, String> env = new HashMap<>(TestInfra.get().serviceEnv(Map.of("MESHCODE_HTTP_PORT", Integer.toString(port))));
    if (service.equals("gateway")) {
      // The services behind it are not running here, so only its own parts are checked below.
      env.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    }
    Process process = start(service, env);
    try {
      JsonObject checks = awaitOwnChecksUp(port, process);
      assertThat(checks.getJsonObject("postgres").getString("status")).isEqualTo("UP");
      assertThat(checks.getJsonObject("kafka").getString("status")).isEqualTo("UP");

      process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the output pipe
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops within the grace period").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isEqualTo(143);
      assertThat(output).contains(service + " stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bus", "gateway"})
  @DisplayName("stops at a bad environment value with one line naming the variable")
  void badEnvironment(String service) throws Exception {
    Map<String, String> env = new HashMap<>(TestInfra.get().serviceEnv(Map.of("MESHCODE_HTTP_PORT", "http")));
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    Process process = start(service, env);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).isEqualTo(service + ": MESHCODE_HTTP_PORT: expected a port number 0-65535, got 'http'");
  }

  private static Process start(String service, Map<String, String> env) throws IOException {
    Path jar = Path.of("..", "services", service, "target", "meshcode-" + service + ".jar");
    assertThat(jar).as("the shaded jar is built by the package phase").exists();
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()))
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Waits until the service's own database and broker checks pass (the gateway's upstreams may not). */
  private static JsonObject awaitOwnChecksUp(int port, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "no answer";
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        JsonObject body = new JsonObject(TestHttp.get(port, "/readiness").body());
        JsonObject checks = body.getJsonObject("checks");
        if ("UP".equals(checks.getJsonObject("postgres").getString("status"))
            && "UP".equals(checks.getJsonObject("kafka").getString("status"))) {
          return checks;
        }
        last = body.encode();
      } catch (IllegalStateException notListening) {
        last = notListening.getMessage();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready: " + last);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
