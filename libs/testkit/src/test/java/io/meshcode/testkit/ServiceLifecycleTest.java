package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.meshcode.embedded.EmbeddedPostgresServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A service's life")
class ServiceLifecycleTest {

  private static final ServiceFactory PROBE =
      (env, metrics) -> new ProbeVerticle(ServiceSettings.from(env, "probe", 0), metrics);

  @Test
  @DisplayName("lets in-flight requests finish when it stops, then refuses new connections")
  void gracefulStop() throws Exception {
    RunningService service = TestServices.start("probe", PROBE);
    Vertx vertx = Vertx.vertx();
    try {
      String token = InternalTokens.signer(vertx, TestInfra.get().internalKeys())
          .issue(new InternalPrincipal("acct", KeyKind.OWNER, null, null));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI slow = URI.create("http://127.0.0.1:" + service.port() + "/v1/slow");
      int slowBefore = ProbeVerticle.SLOW_STARTED.get();
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
          HttpRequest.newBuilder(slow).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      Eventually.equalTo(ProbeVerticle.SLOW_STARTED::get, slowBefore + 1);

      long stopping = System.nanoTime();
      TestServices.stop(service);
      HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("finished");
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("the stop waited for the request").isGreaterThan(Duration.ofMillis(800));

      assertThat(CompletableFuture.supplyAsync(() -> {
        try {
          http.send(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString());
          return "answered";
        } catch (ConnectException e) {
          return "refused";
        } catch (IOException | InterruptedException e) {
          return e.toString();
        }
      }).get(10, TimeUnit.SECONDS)).isEqualTo("refused");
    } finally {
      TestServices.await(vertx.close());
    }
  }

  @Test
  @DisplayName("is not ready while its database or broker is down, says why, and recovers by itself when they return")
  void recovers() throws Exception {
    Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "recovery");
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), 0);
    EmbeddedKafka kafka = EmbeddedKafka.start(root.resolve("kafka"), 0);
    int pgPort = postgres.port();
    int kafkaPort = kafka.port();
    Map<String, String> ownInfra = Map.of(
        "MESHCODE_DB_PORT", Integer.toString(pgPort),
        // Each embedded cluster has its own generated password.
        "MESHCODE_DB_PASSWORD", postgres.password(),
        "MESHCODE_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    RunningService service = TestServices.start("probe", PROBE, ownInfra);
    try {
      awaitReadiness(service, body -> "UP".equals(body.getString("status")));

      postgres.close();
      JsonObject down = awaitReadiness(service, body -> "DOWN".equals(check(body, "postgres")));
      assertThat(down.getJsonObject("checks").getJsonObject("postgres").getString("reason")).isNotBlank();
      postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), pgPort);
      awaitReadiness(service, body -> "UP".equals(body.getString("status")));

      kafka.close();
      awaitReadiness(service, body -> "DOWN".equals(check(body, "kafka")));
      kafka = EmbeddedKafka.start(root.resolve("kafka"), kafkaPort);
      awaitReadiness(service, body -> "UP".equals(body.getString("status")));
    } finally {
      TestServices.stop(service);
    }

    // Down at start: the service still starts, waits unready, and migrates once the database is back.
    postgres.close();
    RunningService late = TestServices.await(ServiceLauncher.start("probe", new EnvConfig(TestInfra.get().serviceEnv(ownInfra)), PROBE));
    try {
      JsonObject unready = awaitReadiness(late, body -> "DOWN".equals(check(body, "postgres")));
      assertThat(unready.getString("status")).isEqualTo("DOWN");
      postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), pgPort);
      awaitReadiness(late, body -> "UP".equals(body.getString("status")));
    } finally {
      TestServices.stop(late);
      postgres.close();
      kafka.close();
    }
  }

  private static String check(JsonObject readiness, String name) {
    return readiness.getJsonObject("checks").getJsonObject(name).getString("status");
  }

  private static JsonObject awaitReadiness(RunningService service, Predicate<JsonObject> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = TestHttp.get(service.port(), "/readiness");
      last = new JsonObject(response.body());
      assertThat(response.statusCode()).isEqualTo("UP".equals(last.getString("status")) ? 200 : 503);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("readiness never matched; last: " + last);
  }
}
