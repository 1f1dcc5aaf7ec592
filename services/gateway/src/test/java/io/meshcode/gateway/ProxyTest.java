package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonObject;
import io.meshcode.testkit.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Forwarding to the services")
class ProxyTest {

  private GatewayFixture mesh;

  @BeforeEach
  void start() {
    mesh = GatewayFixture.start();
  }

  @AfterEach
  void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("forwards an owner's request to the owning service with an internal token instead of the key")
  void ownerForwarded() {
    HttpResponse<String> response = mesh.call("POST", "/v1/meshworks?x=1", mesh.adminKey, "{\"name\":\"alpha\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject echo = json(response);
    assertThat(echo.getString("service")).isEqualTo("invites");
    assertThat(echo.getString("method")).isEqualTo("POST");
    assertThat(echo.getString("uri")).isEqualTo("/v1/meshworks?x=1");
    assertThat(new JsonObject(echo.getString("body")).getString("name")).isEqualTo("alpha");
    assertThat(echo.getString("request_id")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    JsonObject claims = echo.getJsonObject("claims");
    assertThat(claims.getString("kind")).isEqualTo("owner");
    assertThat(claims.getString("sub")).isEqualTo(json(mesh.call("GET", "/v1/me", mesh.adminKey, null)).getJsonObject("account").getString("id"));
    assertThat(response.body()).doesNotContain(mesh.adminKey);
  }

  @Test
  @DisplayName("validates a request against the document before forwarding it")
  void validatedFirst() {
    HttpResponse<String> response = mesh.call("POST", "/v1/meshworks", mesh.adminKey, "{\"name\":\"Not A Name!\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).getJsonObject("error").getString("message")).startsWith("'name' must be 1-40 lowercase letters");
    assertThat(message(mesh.call("POST", "/v1/meshworks", mesh.adminKey, "{\"name\":\"ok\",\"extra\":1}"))).isEqualTo("unknown field 'extra'");
    assertThat(message(mesh.call("POST", "/v1/meshworks", mesh.adminKey, "{}"))).isEqualTo("'name' is required");
    assertThat(message(mesh.call("POST", "/v1/meshworks", mesh.adminKey, "{\"name\":5}"))).isEqualTo("'name': Instance type number is invalid. Expected string");
    assertThat(message(mesh.call("POST", "/v1/meshworks/x/invites", mesh.adminKey, "{\"agent\":\"ok\",\"days\":99}"))).isEqualTo("'days': 99 is greater than 30");
    HttpResponse<String> badPath = mesh.call("GET", "/v1/meshworks/UPPER", mesh.adminKey, null);
    assertThat(badPath.statusCode()).isEqualTo(400);
    assertThat(message(badPath)).startsWith("path parameter 'meshwork' must be 1-40 lowercase letters");
  }

  private static String message(HttpResponse<String> response) {
    return json(response).getJsonObject("error").getString("message");
  }

  @Test
  @DisplayName("turns a guest key into a guest of one agent in one meshwork, and refuses it once revoked")
  void guestKey() {
    String guestKey = SecretKeys.generate(SecretKeys.GUEST);
    String memberId = Ids.newId();
    String meshworkId = Ids.newId();
    mesh.upstreams.addScopedKey(guestKey, new JsonObject().put("kind", "guest").put("member_id", memberId)
        .put("meshwork_id", meshworkId).put("meshwork", "alpha").put("agent", "backend").put("display_name", "Sam"));

    JsonObject me = json(mesh.call("GET", "/v1/me", guestKey, null));
    assertThat(me.getString("kind")).isEqualTo("guest");
    assertThat(me.getJsonObject("scope").getString("meshwork")).isEqualTo("alpha");
    assertThat(me.getJsonObject("scope").getString("agent")).isEqualTo("backend");

    JsonObject claims = json(mesh.call("GET", "/v1/meshworks/alpha", guestKey, null)).getJsonObject("claims");
    assertThat(claims.getString("kind")).isEqualTo("guest");
    assertThat(claims.getString("sub")).isEqualTo(memberId);
    assertThat(claims.getString("meshwork")).isEqualTo(meshworkId);
    assertThat(claims.getString("agent")).isEqualTo("backend");

    assertThat(mesh.call("GET", "/v1/keys", guestKey, null).statusCode()).as("owner-only operation").isEqualTo(403);
    mesh.upstreams.removeScopedKey(guestKey);
    assertThat(mesh.call("GET", "/v1/me", guestKey, null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("turns a spectator token into a read-only caller of one meshwork")
  void spectatorToken() {
    String token = SecretKeys.generate(SecretKeys.SPECTATOR);
    mesh.upstreams.addScopedKey(token, new JsonObject().put("kind", "spectator").put("link_id", Ids.newId())
        .put("meshwork_id", Ids.newId()).put("meshwork", "alpha"));
    JsonObject me = json(mesh.call("GET", "/v1/me", token, null));
    assertThat(me.getString("kind")).isEqualTo("spectator");
    assertThat(me.getJsonObject("scope").getBoolean("read_only")).isTrue();
    assertThat(json(mesh.call("GET", "/v1/meshworks", token, null)).getJsonObject("claims").getString("kind")).isEqualTo("spectator");
  }

  @Test
  @DisplayName("forwards the public join without a key, as the gateway itself")
  void joinIsPublic() {
    HttpResponse<String> response = mesh.call("POST", "/v1/join", null,
        "{\"token\":\"mc_inv_" + "a".repeat(43) + "\",\"display_name\":\"Sam\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).getJsonObject("claims").getString("kind")).isEqualTo("system");
  }

  @Test
  @DisplayName("answers 502 when the owning service is down, and 503 for a key it cannot check")
  void upstreamDown() {
    String guestKey = SecretKeys.generate(SecretKeys.GUEST);
    mesh.upstreams.stop("invites");
    HttpResponse<String> forwarded = mesh.call("GET", "/v1/meshworks", mesh.adminKey, null);
    assertThat(forwarded.statusCode()).isEqualTo(502);
    assertThat(json(forwarded).getJsonObject("error").getString("message")).contains("invites service is unavailable");
    assertThat(mesh.call("GET", "/v1/me", guestKey, null).statusCode()).isEqualTo(503);
  }

  @Test
  @DisplayName("an MCP window's session and the agent an owner's key acts as reach the service vouched for; a guest's agent is its key's")
  void windowVouched() {
    String guestKey = SecretKeys.generate(SecretKeys.GUEST);
    mesh.upstreams.addScopedKey(guestKey, new JsonObject().put("kind", "guest").put("member_id", Ids.newId())
        .put("meshwork_id", Ids.newId()).put("meshwork", "alpha").put("agent", "backend").put("display_name", "Sam"));
    String session = Ids.newUuid().toString();
    Map<String, String> window = Map.of("Meshcode-Session", session, "Meshcode-Agent", "designer");

    JsonObject owner = claims(mesh.adminKey, window);
    assertThat(owner.getJsonObject("vouched").getString("session")).isEqualTo(session);
    assertThat(owner.getJsonObject("vouched").getString("acting_agent")).isEqualTo("designer");
    JsonObject guest = claims(guestKey, window);
    assertThat(guest.getJsonObject("vouched").getString("session")).isEqualTo(session);
    assertThat(guest.getJsonObject("vouched").containsKey("acting_agent")).as("a guest acts as its own agent only").isFalse();
    assertThat(claims(mesh.adminKey, Map.of()).containsKey("vouched")).as("no window: nothing vouched").isFalse();

    HttpResponse<String> badSession = TestHttp.send(mesh.port(), "GET", "/v1/meshworks", "Bearer " + mesh.adminKey, null,
        Map.of("Meshcode-Session", "not-a-session"));
    assertThat(badSession.statusCode()).isEqualTo(400);
    assertThat(badSession.body()).contains("the Meshcode-Session header must be a session id (a UUID)");
    HttpResponse<String> badAgent = TestHttp.send(mesh.port(), "GET", "/v1/meshworks", "Bearer " + mesh.adminKey, null,
        Map.of("Meshcode-Agent", "Not A Name"));
    assertThat(badAgent.statusCode()).isEqualTo(400);
    assertThat(badAgent.body()).contains("the Meshcode-Agent header must be an agent's name");
  }

  /** The claims the invites stand-in got for {@code GET /v1/meshworks} with {@code key} and {@code headers}. */
  private JsonObject claims(String key, Map<String, String> headers) {
    HttpResponse<String> response = TestHttp.send(mesh.port(), "GET", "/v1/meshworks", "Bearer " + key, null, headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).getJsonObject("claims");
  }

  @Test
  @DisplayName("revoking a member answers 204 as before, whatever the invites service answered beside the revocation")
  void revokeMemberAnswers204() {
    HttpResponse<String> revoked = mesh.call("DELETE", "/v1/meshworks/alpha/members/" + Ids.newUuid(), mesh.adminKey, null);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
    assertThat(revoked.body()).isEmpty();
  }
}
