package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.testkit.ServiceContractTest;
import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of stand-ins for the four services (each a real HTTP server answering its
 * readiness), against the real database and broker.
 */
@DisplayName("The gateway")
class GatewayTest extends ServiceContractTest {

  private static final String BOOTSTRAP_KEY = SecretKeys.generate(SecretKeys.OWNER);
  private static final String METRICS_TOKEN = SecretKeys.generate("scrape_");
  private static final UpstreamStandIns UPSTREAMS = UpstreamStandIns.start("bus", "memory", "tasks", "invites");

  @AfterAll
  static void stopUpstreams() {
    UPSTREAMS.close();
  }

  @Override
  protected String serviceName() {
    return "gateway";
  }

  @Override
  protected ServiceFactory factory() {
    return (env, metrics) -> new GatewayVerticle(GatewaySettings.from(env), metrics);
  }

  @Override
  protected Map<String, String> extraEnv() {
    Map<String, String> env = new HashMap<>(UPSTREAMS.urlEnv());
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    env.put("MESHCODE_BOOTSTRAP_KEY", BOOTSTRAP_KEY);
    env.put("MESHCODE_METRICS_TOKEN", METRICS_TOKEN);
    return env;
  }

  @Override
  protected boolean acceptsInternalToken() {
    return false;
  }

  @Override
  protected String guardedPath() {
    return "/v1/me";
  }

  @Override
  protected String metricsKey() {
    return BOOTSTRAP_KEY;
  }

  @Test
  @DisplayName("serves /metrics to the metrics token or an admin's key only: 401 without a key, 403 for an owner who is not an admin")
  void metricsNeedAnAdmin() {
    assertThat(TestHttp.get(port(), "/metrics", "Bearer " + METRICS_TOKEN).statusCode()).isEqualTo(200);
    assertThat(TestHttp.get(port(), "/metrics", "Bearer " + METRICS_TOKEN + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> anonymous = TestHttp.get(port(), "/metrics");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("jvm_");
    String owner = new JsonObject(TestHttp.call(port(), "POST", "/v1/accounts", BOOTSTRAP_KEY, "{\"name\":\"not-admin\"}").body())
        .getJsonObject("key").getString("key");
    HttpResponse<String> notAdmin = TestHttp.call(port(), "GET", "/metrics", owner, null);
    assertThat(notAdmin.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(notAdmin.body()).getJsonObject("error").getString("message")).isEqualTo("only an admin's key or the metrics token reads /metrics");
  }

  @Test
  @DisplayName("reports each service behind it in its readiness, and is not ready while one is down")
  void upstreamReadiness() {
    JsonObject checks = new JsonObject(TestHttp.get(port(), "/readiness").body()).getJsonObject("checks");
    assertThat(checks.fieldNames()).containsExactlyInAnyOrder("postgres", "kafka", "bus", "memory", "tasks", "invites");

    UPSTREAMS.setReady("tasks", false);
    try {
      HttpResponse<String> response = TestHttp.get(port(), "/readiness");
      assertThat(response.statusCode()).isEqualTo(503);
      JsonObject tasks = new JsonObject(response.body()).getJsonObject("checks").getJsonObject("tasks");
      assertThat(tasks.getString("status")).isEqualTo("DOWN");
      assertThat(tasks.getString("reason")).contains("503");
    } finally {
      UPSTREAMS.setReady("tasks", true);
    }
    assertThat(TestHttp.get(port(), "/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("answers /v1/me for the bootstrap key with the admin account")
  void me() {
    HttpResponse<String> response = TestHttp.get(port(), "/v1/me", "Bearer " + BOOTSTRAP_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject me = new JsonObject(response.body());
    assertThat(me.getString("kind")).isEqualTo("owner");
    assertThat(me.getJsonObject("account").getBoolean("admin")).isTrue();
    assertThat(me.getString("version")).isNotBlank();
  }

  @Test
  @DisplayName("answers 401 with the error shape for no key, a malformed key and an unknown key")
  void rejectsBadKeys() {
    for (String authorization : new String[] {null, "Bearer nonsense", "Basic abc", "Bearer " + SecretKeys.generate(SecretKeys.OWNER)}) {
      HttpResponse<String> response = TestHttp.get(port(), "/v1/me", authorization);
      assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("unauthorized");
    }
  }

  @Test
  @DisplayName("stores only the hash of the bootstrap key, never the key")
  void noPlaintextKey() throws Exception {
    assertThat(GatewayFixture.storedKeyText()).doesNotContain(BOOTSTRAP_KEY.substring(3));
    try (Connection conn = TestInfra.get().openJdbc();
         var find = conn.prepareStatement("SELECT count(*) FROM gateway.api_keys WHERE key_hash = ?")) {
      find.setBytes(1, SecretKeys.hash(BOOTSTRAP_KEY));
      ResultSet rows = find.executeQuery();
      rows.next();
      assertThat(rows.getInt(1)).as("the bootstrap key's hash is stored").isEqualTo(1);
    }
  }


  @Test
  @DisplayName("registers the bootstrap key once however often it starts, and a second replica shares it")
  void bootstrapIdempotent() {
    RunningService second = TestServices.start("gateway", factory(), extraEnv());
    try {
      assertThat(TestHttp.get(second.port(), "/v1/me", "Bearer " + BOOTSTRAP_KEY).statusCode()).isEqualTo(200);
    } finally {
      TestServices.stop(second);
    }
  }

  /** The rotation docs/DEPLOY.md describes: a new value is added beside the old; the old is revoked by hand and stays so. */
  @Test
  @DisplayName("a changed bootstrap key is added beside the old one; the old one, revoked, stays revoked when a replica that still has it restarts")
  void bootstrapKeyRotation() {
    String old = SecretKeys.generate(SecretKeys.OWNER);
    String next = SecretKeys.generate(SecretKeys.OWNER);
    RunningService before = TestServices.start("gateway", factory(), withBootstrapKey(old));
    RunningService after = null;
    RunningService straggler = null;
    try {
      after = TestServices.start("gateway", factory(), withBootstrapKey(next));
      for (String key : List.of(old, next)) {
        JsonObject me = new JsonObject(TestHttp.get(after.port(), "/v1/me", "Bearer " + key).body());
        assertThat(me.getJsonObject("account").getBoolean("admin")).as("both are the admin's").isTrue();
      }
      JsonArray keys = new JsonObject(TestHttp.get(after.port(), "/v1/keys", "Bearer " + next).body()).getJsonArray("keys");
      String oldId = keys.stream().map(JsonObject.class::cast)
          .filter(key -> key.getString("prefix").equals(SecretKeys.displayPrefix(old)) && "bootstrap".equals(key.getString("label")))
          .map(key -> key.getString("id")).findFirst().orElseThrow();
      assertThat(TestHttp.call(after.port(), "DELETE", "/v1/keys/" + oldId, next, null).statusCode()).isEqualTo(204);
      assertThat(TestHttp.get(before.port(), "/v1/me", "Bearer " + old).statusCode()).as("refused on every replica").isEqualTo(401);

      straggler = TestServices.start("gateway", factory(), withBootstrapKey(old));
      assertThat(TestHttp.get(straggler.port(), "/v1/me", "Bearer " + old).statusCode()).as("not brought back").isEqualTo(401);
      assertThat(TestHttp.get(straggler.port(), "/v1/me", "Bearer " + next).statusCode()).isEqualTo(200);
    } finally {
      TestServices.stop(straggler);
      TestServices.stop(after);
      TestServices.stop(before);
    }
  }

  private Map<String, String> withBootstrapKey(String key) {
    Map<String, String> env = new HashMap<>(extraEnv());
    env.put("MESHCODE_BOOTSTRAP_KEY", key);
    return env;
  }

  @Test
  @DisplayName("names the port when it is already in use")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<String, String> env = new HashMap<>(extraEnv());
      env.put("MESHCODE_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServices.start("gateway", factory(), env))
          .hasMessageContaining("port " + taken.getLocalPort() + " is already in use");
    }
  }
}
