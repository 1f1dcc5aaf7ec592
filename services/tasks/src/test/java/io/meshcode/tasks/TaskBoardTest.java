package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The task board: create, list, read, update, delete")
class TaskBoardTest {

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @Test
  @DisplayName("a task is created with defaults, read back by id, and attributed to who created it")
  void createAndGet() {
    Mesh mesh = Mesh.fresh();
    JsonObject task = create(client.owner(mesh), mesh, "Write the parser");
    assertThat(task.getString("id")).matches("[0-9a-f-]{36}");
    assertThat(task.getString("title")).isEqualTo("Write the parser");
    assertThat(task.getString("description")).isEmpty();
    assertThat(task.getString("status")).isEqualTo("todo");
    assertThat(task.getString("priority")).isEqualTo("normal");
    assertThat(task.getString("assignee")).isNull();
    assertThat(task.getInteger("progress")).isZero();
    assertThat(task.getString("created_by")).isEqualTo("owner");
    assertThat(task.getInteger("version")).isEqualTo(1);
    assertThat(Instant.parse(task.getString("created_at"))).isEqualTo(Instant.parse(task.getString("updated_at")));

    assertThat(client.spectator(mesh).get(mesh.task(task.getString("id"))).expect(200)).isEqualTo(task);

    JsonObject full = create(client.guest(mesh, "builder"), mesh, new JsonObject()
        .put("title", "Ship it").put("description", "all of it\nwith care").put("status", "blocked")
        .put("priority", "urgent").put("assignee", "reviewer"));
    assertThat(full.getString("created_by")).isEqualTo("builder");
    assertThat(full.getString("status")).isEqualTo("blocked");
    assertThat(full.getString("priority")).isEqualTo("urgent");
    assertThat(full.getString("assignee")).isEqualTo("reviewer");
    assertThat(full.getString("description")).isEqualTo("all of it\nwith care");

    JsonObject asAgent = client.owner(mesh, "planner").post(mesh.agentPath("planner") + "/tasks", new JsonObject().put("title", "Plan"))
        .expect(201);
    assertThat(asAgent.getString("created_by")).as("the owner acting as an agent").isEqualTo("planner");
  }

  @Test
  @DisplayName("the list filters by status and assignee, in creation order, and pages with after and limit")
  void listAndFilter() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    String a = create(owner, mesh, new JsonObject().put("title", "a").put("assignee", "ada")).getString("id");
    String b = create(owner, mesh, new JsonObject().put("title", "b").put("status", "done").put("assignee", "bob")).getString("id");
    String c = create(owner, mesh, new JsonObject().put("title", "c").put("assignee", "ada").put("status", "done")).getString("id");
    String d = create(owner, mesh, "d").getString("id");

    assertThat(ids(owner, mesh.tasks())).containsExactly(a, b, c, d);
    assertThat(ids(owner, mesh.tasks() + "?status=done")).containsExactly(b, c);
    assertThat(ids(owner, mesh.tasks() + "?assignee=ada")).containsExactly(a, c);
    assertThat(ids(owner, mesh.tasks() + "?assignee=ada&status=done")).containsExactly(c);
    assertThat(ids(owner, mesh.tasks() + "?assignee=nobody")).isEmpty();
    assertThat(ids(owner, mesh.tasks() + "?status=&assignee=")).as("empty counts as not given").hasSize(4);

    JsonObject first = owner.get(mesh.tasks() + "?limit=3").expect(200);
    assertThat(first.getString("next_after")).isEqualTo(c);
    JsonObject rest = owner.get(mesh.tasks() + "?limit=3&after=" + c).expect(200);
    assertThat(rest.getJsonArray("tasks")).hasSize(1);
    assertThat(rest.getString("next_after")).isNull();

    Mesh other = Mesh.fresh();
    assertThat(ids(client.owner(other), other.tasks())).as("another meshwork's board is empty").isEmpty();
  }

  @Test
  @DisplayName("an update changes what it names, grows the version by one, and says what changed")
  void update() {
    Mesh mesh = Mesh.fresh();
    ApiCaller builder = client.guest(mesh, "builder");
    String id = create(builder, mesh, "Refactor").getString("id");

    JsonObject updated = builder.patch(mesh.task(id), new JsonObject()
        .put("status", "in_progress").put("progress", 40).put("priority", "high").put("assignee", "builder")
        .put("description", "the parser first").put("version", 1)).expect(200);
    assertThat(updated.getString("status")).isEqualTo("in_progress");
    assertThat(updated.getInteger("progress")).isEqualTo(40);
    assertThat(updated.getString("priority")).isEqualTo("high");
    assertThat(updated.getString("assignee")).isEqualTo("builder");
    assertThat(updated.getString("title")).isEqualTo("Refactor");
    assertThat(updated.getInteger("version")).isEqualTo(2);
    assertThat(Instant.parse(updated.getString("updated_at"))).isAfter(Instant.parse(updated.getString("created_at")));

    JsonObject unassigned = builder.patch(mesh.task(id), new JsonObject().putNull("assignee")).expect(200);
    assertThat(unassigned.getString("assignee")).as("null unassigns").isNull();
    assertThat(unassigned.getInteger("version")).as("without a version, the update applies to the current one").isEqualTo(3);

    JsonObject same = builder.patch(mesh.task(id), new JsonObject().put("status", "in_progress").put("progress", 40)).expect(200);
    assertThat(same.getInteger("version")).as("nothing changed, nothing counted").isEqualTo(3);

    JsonObject noted = builder.patch(mesh.task(id), new JsonObject().put("note", "halfway: tests written")).expect(200);
    assertThat(noted.getInteger("version")).as("a note alone is a change").isEqualTo(4);

    assertThat(client.spectator(mesh).get(mesh.task(id)).expect(200)).isEqualTo(noted);
  }

  @Test
  @DisplayName("an update or delete against a stale version is 409 version_conflict naming the current one, and changes nothing")
  void staleVersion() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    String id = create(owner, mesh, "Contested").getString("id");
    owner.patch(mesh.task(id), new JsonObject().put("title", "Contested twice").put("version", 1)).expect(200);

    ApiResponse stale = owner.patch(mesh.task(id), new JsonObject().put("title", "Lost update").put("version", 1));
    stale.expectError(409, "version_conflict", "the task is at version 2, not 1; read it again and retry");
    assertThat(stale.body().getJsonObject("error").getInteger("current_version")).isEqualTo(2);

    ApiResponse ahead = owner.patch(mesh.task(id), new JsonObject().put("title", "From the future").put("version", 7));
    assertThat(ahead.expect(409).getJsonObject("error").getInteger("current_version")).isEqualTo(2);

    owner.delete(mesh.task(id) + "?version=1").expectError(409, "version_conflict",
        "the task is at version 2, not 1; read it again and retry");
    JsonObject now = owner.get(mesh.task(id)).expect(200);
    assertThat(now.getString("title")).isEqualTo("Contested twice");
    assertThat(now.getInteger("version")).isEqualTo(2);

    owner.delete(mesh.task(id) + "?version=2").expect(204);
    owner.get(mesh.task(id)).expectError(404, "not_found", "no task with that id in this meshwork");
  }

  @Test
  @DisplayName("of many updates racing with the same version, exactly one is applied")
  void compareAndSetRace() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Race").getString("id");
    List<ApiResponse> answers = TasksConcurrency.all(20, i -> client.guest(mesh, "agent-" + i)
        .sendAsync("PATCH", mesh.task(id), new JsonObject().put("progress", i + 1).put("version", 1)));
    assertThat(answers.stream().filter(r -> r.status() == 200)).hasSize(1);
    assertThat(answers.stream().filter(r -> r.status() == 409 && r.code().equals("version_conflict"))).hasSize(19);
    JsonObject task = client.owner(mesh).get(mesh.task(id)).expect(200);
    assertThat(task.getInteger("version")).isEqualTo(2);
  }

  @Test
  @DisplayName("a deleted task is gone from the board; deleting it again, or an unknown id, is 404")
  void delete() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    String id = create(owner, mesh, "Temporary").getString("id");
    String kept = create(owner, mesh, "Kept").getString("id");
    client.owner(mesh, "builder").delete(mesh.agentPath("builder") + "/tasks/" + id).expect(204);
    assertThat(ids(owner, mesh.tasks())).containsExactly(kept);
    assertThat(owner.delete(mesh.task(id)).status()).isEqualTo(404);
    assertThat(owner.patch(mesh.task(id), new JsonObject().put("title", "x")).status()).isEqualTo(404);
  }

  static List<String> ids(ApiCaller caller, String path) {
    JsonArray tasks = caller.get(path).expect(200).getJsonArray("tasks");
    return tasks.stream().map(t -> ((JsonObject) t).getString("id")).toList();
  }
}
