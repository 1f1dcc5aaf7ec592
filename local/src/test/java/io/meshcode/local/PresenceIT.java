package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sessions and presence through the gateway, the way the MCP server and the status board use them. */
@DisplayName("Sessions and presence")
class PresenceIT {

  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static String meshworkWithAgents(String owner) {
    String mw = "pr-" + Ids.newId().substring(24);
    mesh.expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", mw));
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", "backend").put("role", "API"));
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", "frontend").put("role", "UI"));
    return mw;
  }

  @Test
  @DisplayName("a meshwork lists each agent with its role and status")
  void listWithStatus() {
    String owner = mesh.newOwner("owner");
    String mw = meshworkWithAgents(owner);
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/backend/sessions", owner, new JsonObject().put("client", "claude-code"));

    JsonArray agents = mesh.expect(200, "GET", "/v1/meshworks/" + mw, owner, null).getJsonArray("agents");
    JsonObject backend = find(agents, "backend");
    JsonObject frontend = find(agents, "frontend");
    assertThat(backend.getString("role")).isEqualTo("API");
    assertThat(backend.getString("status")).as("a session just opened").isEqualTo("online");
    assertThat(backend.getString("last_seen")).isNotNull();
    assertThat(frontend.getString("status")).isEqualTo("offline");

    JsonObject listed = mesh.expect(200, "GET", "/v1/meshworks", owner, null).getJsonArray("meshworks").getJsonObject(0);
    assertThat(find(listed.getJsonArray("agents"), "backend").getString("status")).isEqualTo("online");
  }

  @Test
  @DisplayName("a second window for the same agent is refused unless it takes over")
  void secondWindow() {
    String owner = mesh.newOwner("owner");
    String mw = meshworkWithAgents(owner);
    JsonObject guest = mesh.join(owner, mw, "backend", "Sam");
    String first = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/backend/sessions", guest.getString("key"), null)
        .getString("session_id");

    HttpResponse<String> second = mesh.call("POST", "/v1/meshworks/" + mw + "/agents/backend/sessions", owner, new JsonObject());
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(second.body()).getJsonObject("error").getString("message")).isEqualTo("agent already running in another window");

    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/backend/sessions", owner, new JsonObject().put("take_over", true));
    HttpResponse<String> oldHeartbeat = mesh.call("PUT", "/v1/meshworks/" + mw + "/agents/backend/sessions/" + first,
        guest.getString("key"), new JsonObject());
    assertThat(oldHeartbeat.statusCode()).isEqualTo(409);
  }

  @Test
  @DisplayName("a guest reaches only its own agent's session, and names outside the meshwork are 404")
  void guestScope() {
    String owner = mesh.newOwner("owner");
    String mw = meshworkWithAgents(owner);
    String guest = mesh.join(owner, mw, "backend", "Sam").getString("key");
    assertThat(mesh.call("POST", "/v1/meshworks/" + mw + "/agents/frontend/sessions", guest, null).statusCode()).isEqualTo(404);
    assertThat(mesh.call("POST", "/v1/meshworks/" + mw + "/agents/nobody/sessions", owner, null).statusCode()).isEqualTo(404);
    assertThat(mesh.call("GET", "/v1/meshworks/not-mine/presence", guest, null).statusCode()).isEqualTo(404);
  }

  private static JsonObject find(JsonArray agents, String name) {
    return agents.stream().map(JsonObject.class::cast).filter(a -> name.equals(a.getString("name"))).findFirst().orElseThrow();
  }
}
