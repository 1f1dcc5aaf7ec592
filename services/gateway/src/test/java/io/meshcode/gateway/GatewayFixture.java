package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** A gateway against the real database and broker, with stand-ins for the services behind it. */
final class GatewayFixture implements AutoCloseable {

  final UpstreamStandIns upstreams;
  final RunningService gateway;
  /** The admin's owner key, registered as the bootstrap key. */
  final String adminKey = SecretKeys.generate(SecretKeys.OWNER);

  private GatewayFixture(Map<String, String> extraEnv) {
    upstreams = UpstreamStandIns.start("bus", "memory", "tasks", "invites");
    Map<String, String> env = new HashMap<>(env(upstreams, adminKey));
    env.putAll(extraEnv);
    gateway = TestServices.start("gateway", (e, metrics) -> new GatewayVerticle(GatewaySettings.from(e), metrics), env);
  }

  static GatewayFixture start() {
    return new GatewayFixture(Map.of());
  }

  static GatewayFixture start(Map<String, String> extraEnv) {
    return new GatewayFixture(extraEnv);
  }

  /** What a gateway needs beyond the shared infrastructure. */
  static Map<String, String> env(UpstreamStandIns upstreams, String bootstrapKey) {
    Map<String, String> env = new HashMap<>(upstreams.urlEnv());
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    env.put("MESHCODE_BOOTSTRAP_KEY", bootstrapKey);
    return env;
  }

  int port() {
    return gateway.port();
  }

  HttpResponse<String> call(String method, String path, String key, String body) {
    return TestHttp.call(port(), method, path, key, body);
  }

  /** A new owner account made by the admin; answers its key. */
  String newOwner(String name) {
    HttpResponse<String> created = call("POST", "/v1/accounts", adminKey, new JsonObject().put("name", name).encode());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("cannot create an account: " + created.body());
    }
    return new JsonObject(created.body()).getJsonObject("key").getString("key");
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  static String errorMessage(HttpResponse<String> response) {
    return json(response).getJsonObject("error").getString("message");
  }

  /** Every column of every stored key, as text. */
  static String storedKeyText() {
    return storedText("api_keys");
  }

  /** Every column of every row of one of the gateway's tables, as text (bytes as Latin-1). */
  static String storedText(String table) {
    StringBuilder text = new StringBuilder();
    try (Connection conn = TestInfra.get().openJdbc(); ResultSet rows = conn.createStatement().executeQuery("SELECT * FROM gateway." + table)) {
      while (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          Object value = rows.getObject(i);
          text.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value)).append('|');
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  @Override
  public void close() {
    TestServices.stop(gateway);
    upstreams.close();
  }
}
