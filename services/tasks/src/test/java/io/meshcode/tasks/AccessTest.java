package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.create;
import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.ids.Ids;
import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCall;
import io.meshcode.testkit.ApiCaller;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Who reaches which tasks and reservations")
class AccessTest {

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  private static List<ApiCall> writes(Mesh mesh, String agent, String taskId) {
    return List.of(
        new ApiCall("POST", mesh.tasks(), new JsonObject().put("title", "x")),
        new ApiCall("PATCH", mesh.task(taskId), new JsonObject().put("title", "changed")),
        new ApiCall("DELETE", mesh.task(taskId), null),
        new ApiCall("POST", mesh.agentPath(agent) + "/tasks", new JsonObject().put("title", "x")),
        new ApiCall("PATCH", mesh.agentPath(agent) + "/tasks/" + taskId, new JsonObject().put("title", "changed")),
        new ApiCall("DELETE", mesh.agentPath(agent) + "/tasks/" + taskId, null),
        new ApiCall("POST", mesh.claim(agent, taskId), null),
        new ApiCall("POST", mesh.reserve(agent), reservation("x", "lib")),
        new ApiCall("DELETE", mesh.reserve(agent), null));
  }

  private static List<String> reads(Mesh mesh, String taskId) {
    return List.of(mesh.tasks(), mesh.task(taskId), mesh.reservations());
  }

  @Test
  @DisplayName("a spectator reads the board and the reservations, but every write is 403 'a spectator link is read-only'")
  void spectator() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Watched").getString("id");
    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("mine", "src")).expect(201);
    ApiCaller watcher = client.as(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), "ada"));
    for (ApiCaller spectator : List.of(client.spectator(mesh), watcher)) {
      for (ApiCall call : writes(mesh, "ada", id)) {
        call.as(spectator).expectError(403, "forbidden", "a spectator link is read-only");
      }
      for (String path : reads(mesh, id)) {
        spectator.get(path).expect(200);
      }
    }
    JsonObject task = client.owner(mesh).get(mesh.task(id)).expect(200);
    assertThat(task.getInteger("version")).isEqualTo(1);
    assertThat(held(client.owner(mesh), mesh)).containsExactly("ada:src");
  }

  @Test
  @DisplayName("a token of another meshwork sees nothing of this one: its tasks are 404 and its lists empty")
  void otherMeshwork() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Private").getString("id");
    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("mine", "src")).expect(201);
    // The same names in the path, but the token of another meshwork: the gateway's id is what counts.
    Mesh other = new Mesh(Ids.newId(), mesh.name());
    for (ApiCaller stranger : List.of(client.guest(other, "ada"), client.owner(other), client.spectator(other))) {
      stranger.get(mesh.task(id)).expectError(404, "not_found", "no task with that id in this meshwork");
      assertThat(stranger.get(mesh.tasks()).expect(200).getJsonArray("tasks")).isEmpty();
      assertThat(stranger.get(mesh.reservations()).expect(200).getJsonArray("reservations")).isEmpty();
    }
    for (ApiCaller stranger : List.of(client.guest(other, "ada"), client.owner(other, "ada"))) {
      assertThat(stranger.patch(mesh.task(id), new JsonObject().put("title", "mine now")).status()).isEqualTo(404);
      assertThat(stranger.delete(mesh.task(id)).status()).isEqualTo(404);
      assertThat(stranger.post(mesh.claim("ada", id), null).status()).isEqualTo(404);
      assertThat(stranger.delete(mesh.reserve("ada")).expect(200).getJsonArray("released")).isEmpty();
    }
    JsonObject task = client.owner(mesh).get(mesh.task(id)).expect(200);
    assertThat(task.getString("title")).isEqualTo("Private");
    assertThat(task.getString("assignee")).isNull();
    assertThat(held(client.owner(mesh), mesh)).containsExactly("ada:src");
  }

  @Test
  @DisplayName("an agent route whose agent is not the one in the token is 404 and touches nothing")
  void otherAgent() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Theirs").getString("id");
    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("mine", "src")).expect(201);
    for (ApiCaller stranger : List.of(client.guest(mesh, "bob"), client.owner(mesh, "bob"), client.owner(mesh))) {
      for (ApiCall call : writes(mesh, "ada", id).subList(3, 9)) {
        assertThat(call.as(stranger).status()).as(call.toString()).isEqualTo(404);
      }
    }
    assertThat(client.owner(mesh).get(mesh.task(id)).expect(200).getInteger("version")).isEqualTo(1);
    assertThat(held(client.owner(mesh), mesh)).containsExactly("ada:src");
  }

  @Test
  @DisplayName("a guest writes on meshwork routes as its own agent")
  void guestActsAsItself() {
    Mesh mesh = Mesh.fresh();
    assertThat(create(client.guest(mesh, "ada"), mesh, "By ada").getString("created_by")).isEqualTo("ada");
    ApiCaller nameless = client.as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), null));
    nameless.post(mesh.tasks(), new JsonObject().put("title", "x")).expectError(403, "forbidden", "this guest token names no agent");
  }

  @Test
  @DisplayName("a token scoped to no meshwork (the gateway's own, an owner's without the claim, a malformed one) is 403 everywhere")
  void noMeshwork() {
    Mesh mesh = Mesh.fresh();
    String id = Ids.newId();
    for (ApiCaller caller : client.unscoped("ada")) {
      for (ApiCall call : writes(mesh, "ada", id)) {
        assertThat(call.as(caller).status()).as(call.toString()).isEqualTo(403);
      }
      for (String path : reads(mesh, id)) {
        assertThat(caller.get(path).status()).isEqualTo(403);
      }
    }
  }

  @Test
  @DisplayName("a malformed meshwork or agent name in the path is 404")
  void badNames() {
    Mesh mesh = Mesh.fresh();
    Mesh badMesh = new Mesh(mesh.id(), "Not_A_Name");
    assertThat(client.owner(mesh).get(badMesh.tasks()).status()).isEqualTo(404);
    assertThat(client.owner(mesh).post(badMesh.tasks(), new JsonObject().put("title", "x")).status()).isEqualTo(404);
    ApiCaller shouting = client.owner(mesh, "ADA");
    assertThat(reserve(shouting, mesh, "ADA", reservation("x", "src")).status()).isEqualTo(404);
    assertThat(client.owner(mesh).get(mesh.tasks()).expect(200).getJsonArray("tasks")).isEmpty();
  }
}
