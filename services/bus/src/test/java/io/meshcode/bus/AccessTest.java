package io.meshcode.bus;

import static io.meshcode.bus.BusClient.open;
import static io.meshcode.bus.BusClient.presenceOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCall;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Who reaches which sessions, and what a request must hold")
class AccessTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private static List<ApiCall> writes(Mesh mesh, String agent, String session) {
    String base = mesh.agentPath(agent);
    return List.of(
        new ApiCall("POST", base + "/sessions", new JsonObject()),
        new ApiCall("PUT", base + "/sessions/" + session, new JsonObject()),
        new ApiCall("DELETE", base + "/sessions/" + session, null),
        new ApiCall("POST", base + "/activity", new JsonObject()));
  }

  @Test
  @DisplayName("a spectator reads presence but every write is 403 'a spectator link is read-only'")
  void spectator() {
    Mesh mesh = Mesh.fresh();
    String session = open(client.owner(mesh, "builder"), mesh, "builder").getString("session_id");
    Caller watcher = client.as(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), "builder"));
    for (Caller spectator : List.of(client.spectator(mesh), watcher)) {
      for (ApiCall call : writes(mesh, "builder", session)) {
        call.as(spectator).expectError(403, "forbidden", "a spectator link is read-only");
      }
      assertThat(spectator.get(mesh.presencePath()).expect(200).getJsonArray("agents")).hasSize(1);
    }
    BusClient.heartbeat(client.owner(mesh, "builder"), mesh, "builder", session).expect(200);
  }

  @Test
  @DisplayName("an agent route whose agent is not the one in the token is 404, and touches nothing")
  void otherAgent() {
    Mesh mesh = Mesh.fresh();
    String session = open(client.owner(mesh, "builder"), mesh, "builder").getString("session_id");
    List<Caller> strangers = List.of(client.guest(mesh, "reviewer"), client.owner(mesh, "reviewer"), client.owner(mesh, null));
    for (Caller stranger : strangers) {
      for (ApiCall call : writes(mesh, "builder", session)) {
        assertThat(call.as(stranger).status()).as(call.toString()).isEqualTo(404);
      }
    }
    BusClient.heartbeat(client.owner(mesh, "builder"), mesh, "builder", session).expect(200);
    assertThat(presenceOf(client.spectator(mesh), mesh, "reviewer")).isNull();
  }

  @Test
  @DisplayName("a token scoped to no meshwork (the gateway's own, an owner's without the claim) is 403 everywhere")
  void noMeshwork() {
    Mesh mesh = Mesh.fresh();
    for (Caller caller : client.unscoped("builder")) {
      for (ApiCall call : writes(mesh, "builder", Ids.newId())) {
        assertThat(call.as(caller).status()).as(call.toString()).isEqualTo(403);
      }
      assertThat(caller.get(mesh.presencePath()).status()).isEqualTo(403);
    }
  }

  @Test
  @DisplayName("a malformed meshwork or agent name in the path is 404")
  void badNames() {
    Mesh mesh = Mesh.fresh();
    Mesh badMesh = new Mesh(mesh.id(), "Not_A_Name");
    Caller owner = client.owner(mesh, "builder");
    assertThat(owner.get(badMesh.presencePath()).status()).isEqualTo(404);
    assertThat(open(owner, badMesh, "builder", new JsonObject()).status()).isEqualTo(404);
    Caller shouting = client.owner(mesh, "BUILDER");
    assertThat(open(shouting, mesh, "BUILDER", new JsonObject()).status()).isEqualTo(404);
    assertThat(owner.get(mesh.presencePath()).expect(200).getJsonArray("agents")).isEmpty();
  }

  @Test
  @DisplayName("a body with an unknown field or a wrong type is 400 naming the field, and nothing is stored")
  void badBodies() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    assertThat(badOpen(owner, mesh, new JsonObject().put("take_over", "yes"))).contains("'take_over'");
    assertThat(badOpen(owner, mesh, new JsonObject().put("take_over", 1))).contains("'take_over'");
    assertThat(badOpen(owner, mesh, new JsonObject().put("client", 42))).contains("'client'");
    assertThat(badOpen(owner, mesh, new JsonObject().put("client", "x".repeat(81)))).contains("'client'");
    assertThat(badOpen(owner, mesh, new JsonObject().put("client", "bad\u0007client"))).contains("'client'");
    assertThat(badOpen(owner, mesh, new JsonObject().put("window", 2))).contains("'window'");
    assertThat(badOpen(owner, mesh, "[true]")).contains("JSON object");
    assertThat(badOpen(owner, mesh, "{not json")).contains("not valid JSON");
    assertThat(owner.get(mesh.presencePath()).expect(200).getJsonArray("agents")).as("nothing stored").isEmpty();

    String session = open(owner, mesh, "builder").getString("session_id");
    ApiResponse busy = BusClient.heartbeat(owner, mesh, "builder", session, new JsonObject().put("busy", "very"));
    assertThat(busy.expect(400).getJsonObject("error").getString("message")).contains("'busy'");
    ApiResponse extra = BusClient.heartbeat(owner, mesh, "builder", session, new JsonObject().put("lease", 60));
    assertThat(extra.expect(400).getJsonObject("error").getString("message")).contains("'lease'");
    ApiResponse activity = owner.post(mesh.agentPath("builder") + "/activity", new JsonObject().put("tool", 7));
    assertThat(activity.expect(400).getJsonObject("error").getString("message")).contains("'tool'");
    assertThat(open(owner, mesh, "builder", new JsonObject().put("client", 1).put("take_over", true)).status())
        .as("a bad body takes nothing over").isEqualTo(400);
    BusClient.heartbeat(owner, mesh, "builder", session).expect(200);
  }

  private static String badOpen(Caller owner, Mesh mesh, Object body) {
    ApiResponse response = owner.post(mesh.agentPath("builder") + "/sessions", body);
    assertThat(response.status()).as(response.body().encode()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("bad_request");
    return response.error();
  }
}
