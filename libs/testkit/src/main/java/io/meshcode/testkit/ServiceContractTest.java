package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every MeshCode service promises, checked against the real broker and database: probes,
 * metrics, its own migrated schema, the internal-token guard and the shared error shape. A
 * service's test extends this and names the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceContractTest {

  private RunningService service;
  private Vertx vertx;

  protected abstract String serviceName();

  protected abstract ServiceFactory factory();

  /** Extra environment the service needs beyond the shared infrastructure. */
  protected Map<String, String> extraEnv() {
    return Map.of();
  }

  /** Services take the gateway's internal token; the gateway itself takes only public API keys. */
  protected boolean acceptsInternalToken() {
    return true;
  }

  /** A path under /v1 that needs credentials; a service's guard covers every path, even unknown ones. */
  protected String guardedPath() {
    return "/v1/no-such-route";
  }

  /** The key that reads /metrics; null for a service whose port is not public (anyone reaching it may). */
  protected String metricsKey() {
    return null;
  }

  protected int port() {
    return service.port();
  }

  @BeforeAll
  void startService() {
    service = TestServices.start(serviceName(), factory(), extraEnv());
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stopService() {
    TestServices.stop(service);
    if (vertx != null) {
      TestServices.await(vertx.close());
    }
  }

  @Test
  @DisplayName("answers liveness on /health")
  void health() {
    HttpResponse<String> response = TestHttp.get(port(), "/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("is ready once its PostgreSQL schema and Kafka topics are set up")
  void readiness() {
    HttpResponse<String> response = TestHttp.get(port(), "/readiness");
    JsonObject body = new JsonObject(response.body());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getJsonObject("postgres").getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getJsonObject("kafka").getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("serves Prometheus metrics that count its own HTTP requests")
  void metrics() {
    TestHttp.get(port(), "/health");
    HttpResponse<String> response = TestHttp.call(port(), "GET", "/metrics", metricsKey(), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes");
  }

  @Test
  @DisplayName("migrates its own schema at start")
  void ownSchema() throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc();
         var statement = conn.prepareStatement(
             "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'flyway_schema_history'")) {
      statement.setString(1, serviceName());
      ResultSet rows = statement.executeQuery();
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("rejects an API request without credentials with 401 in the shared error shape")
  void apiNeedsInternalToken() {
    HttpResponse<String> response = TestHttp.get(port(), guardedPath());
    assertThat(response.statusCode()).isEqualTo(401);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unauthorized");
    assertThat(error.getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("rejects an internal token signed with another key")
  void rejectsForgedToken() {
    InternalTokens forger = InternalTokens.signer(vertx, InternalKeys.generate());
    String forged = forger.issue(new InternalPrincipal("acct", KeyKind.OWNER, null, null));
    assertThat(TestHttp.get(port(), guardedPath(), "Bearer " + forged).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("lets a valid internal token past a service's guard (an unknown route is then a JSON 404), but not the gateway's")
  void validInternalToken() {
    InternalTokens gateway = InternalTokens.signer(vertx, TestInfra.get().internalKeys());
    String token = gateway.issue(new InternalPrincipal("acct", KeyKind.OWNER, null, null));
    HttpResponse<String> response = TestHttp.get(port(), guardedPath(), "Bearer " + token);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    if (acceptsInternalToken()) {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(error.getString("code")).isEqualTo("not_found");
    } else {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
    }
  }
}
