package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.create;
import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Bad input is 400 naming the field, and changes nothing")
class BadInputTest {

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @Test
  @DisplayName("creating: a missing, blank, multi-line or oversize title; oversize description; unknown status, priority or field; a bad assignee")
  void badCreate() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    assertBad(owner.post(mesh.tasks(), new JsonObject()), "'title' is required");
    assertBad(owner.post(mesh.tasks(), new JsonObject().put("title", "  ")), "'title' must not be blank");
    assertBad(owner.post(mesh.tasks(), new JsonObject().put("title", "two\nlines")), "'title' must be one line without tabs");
    assertBad(owner.post(mesh.tasks(), new JsonObject().put("title", "x".repeat(201))), "'title' must be at most 200 characters");
    assertBad(owner.post(mesh.tasks(), new JsonObject().put("title", 42)), "'title' must be a string");
    assertBad(owner.post(mesh.tasks(), task().put("description", "x".repeat(10_001))), "'description' must be at most 10000 characters");
    assertBad(owner.post(mesh.tasks(), task().put("description", "bell\u0007")), "'description' must not contain control characters");
    assertBad(owner.post(mesh.tasks(), task().put("status", "doing")),
        "'status' must be one of todo, in_progress, blocked, review, done, cancelled");
    assertBad(owner.post(mesh.tasks(), task().put("priority", "critical")), "'priority' must be one of low, normal, high, urgent");
    assertBad(owner.post(mesh.tasks(), task().put("assignee", "Bob")), "'assignee' must be 1-40 lowercase letters");
    assertBad(owner.post(mesh.tasks(), task().put("assignee", 7)), "'assignee' must be an agent's name or null");
    assertBad(owner.post(mesh.tasks(), task().put("progress", 5)), "unknown field 'progress'");
    assertBad(owner.post(mesh.tasks(), task().put("owner", "me")), "unknown field 'owner'");
    assertBad(owner.post(mesh.tasks(), "[1]"), "the request body must be a JSON object");
    assertBad(owner.post(mesh.tasks(), "{nope"), "the request body is not valid JSON");
    assertBad(client.owner(mesh, "ada").post(mesh.agentPath("ada") + "/tasks", "{nope"), "the request body is not valid JSON");
    assertThat(TaskBoardTest.ids(owner, mesh.tasks())).as("nothing stored").isEmpty();
    assertThat(create(owner, mesh, "x".repeat(200)).getString("description")).isEmpty();
  }

  @Test
  @DisplayName("updating: progress outside 0-100, unknown values or fields, nulls, a bad version, nothing to update")
  void badUpdate() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    String id = create(owner, mesh, "Stable").getString("id");
    String path = mesh.task(id);
    assertBad(owner.patch(path, new JsonObject().put("progress", 101)), "'progress' must be between 0 and 100");
    assertBad(owner.patch(path, new JsonObject().put("progress", -1)), "'progress' must be between 0 and 100");
    assertBad(owner.patch(path, new JsonObject().put("progress", 50.5)), "'progress' must be a whole number");
    assertBad(owner.patch(path, new JsonObject().put("progress", "50")), "'progress' must be a whole number");
    assertBad(owner.patch(path, new JsonObject().put("status", "finished")), "'status' must be one of");
    assertBad(owner.patch(path, new JsonObject().put("priority", "")), "'priority' must be one of");
    assertBad(owner.patch(path, new JsonObject().put("title", "")), "'title' must not be blank");
    assertBad(owner.patch(path, new JsonObject().putNull("title")), "'title' must not be null");
    assertBad(owner.patch(path, new JsonObject().putNull("progress")), "'progress' must not be null");
    assertBad(owner.patch(path, new JsonObject().put("note", "x".repeat(501))), "'note' must be at most 500 characters");
    assertBad(owner.patch(path, new JsonObject().put("title", "ok").put("version", 0)), "'version' must be between 1 and");
    assertBad(owner.patch(path, new JsonObject().put("title", "ok").put("version", "1")), "'version' must be a whole number");
    assertBad(owner.patch(path, new JsonObject().put("title", "ok").put("id", id)), "unknown field 'id'");
    assertBad(owner.patch(path, new JsonObject().put("version", 1)), "nothing to update");
    assertBad(owner.patch(path, new JsonObject()), "nothing to update");
    assertBad(owner.delete(path + "?version=first"), "'version' must be a whole number");
    assertBad(owner.delete(path + "?version=1&version=1"), "'version' must be given once");
    assertBad(client.owner(mesh, "ada").post(mesh.claim("ada", id), new JsonObject().put("force", true)), "unknown field 'force'");
    JsonObject task = owner.get(path).expect(200);
    assertThat(task.getString("title")).isEqualTo("Stable");
    assertThat(task.getInteger("version")).isEqualTo(1);
    assertThat(task.getString("assignee")).isNull();
  }

  @Test
  @DisplayName("task ids and list parameters: a malformed id, status, assignee, after or limit")
  void badIdsAndParameters() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    assertBad(owner.get(mesh.task("not-a-uuid")), "'id' must be a task id (a UUID)");
    assertBad(owner.patch(mesh.task("12345"), new JsonObject().put("title", "x")), "'id' must be a task id (a UUID)");
    assertBad(owner.delete(mesh.task("x")), "'id' must be a task id (a UUID)");
    assertBad(client.owner(mesh, "ada").post(mesh.claim("ada", "x"), null), "'id' must be a task id (a UUID)");
    assertBad(owner.get(mesh.tasks() + "?status=open"), "'status' must be one of");
    assertBad(owner.get(mesh.tasks() + "?status=todo&status=done"), "'status' must be given once");
    assertBad(owner.get(mesh.tasks() + "?assignee=Not%20A%20Name"), "'assignee' must be 1-40");
    assertBad(owner.get(mesh.tasks() + "?after=yesterday"), "'after' must be a task id");
    assertBad(owner.get(mesh.tasks() + "?limit=0"), "'limit' must be between 1 and 500");
    assertBad(owner.get(mesh.tasks() + "?limit=many"), "'limit' must be a whole number");
    assertBad(owner.get(mesh.reservations() + "?agent=A"), "'agent' must be 1-40");
    assertBad(owner.get(mesh.reservations() + "?path=../x"), "'path' must not contain a '..' segment");
  }

  @Test
  @DisplayName("reserving: malformed globs, too many or no paths, a bad reason, time to live or sharing flag")
  void badReservations() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src/[abc")), "'paths[0]' has an unbalanced '['");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "ok", "src/{a,b")), "'paths[1]' has an unbalanced '{'");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "ok", "ok2", "/etc/passwd")), "'paths[2]' must be relative to the workspace");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src/../../etc")), "'paths[0]' must not contain a '..' segment");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "")), "'paths[0]' must not be empty");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src/a\u0000b")), "'paths[0]' must not contain control characters");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "a/" + "b".repeat(499))), "'paths[0]' must be at most 500 characters");
    assertBad(reserve(ada, mesh, "ada", reservation("r", IntStream.range(0, 51).mapToObj(i -> "f" + i).toArray(String[]::new))),
        "'paths' must hold 1 to 50 paths or globs");
    assertBad(reserve(ada, mesh, "ada", reservation("r")), "'paths' must hold 1 to 50 paths or globs");
    assertBad(reserve(ada, mesh, "ada", new JsonObject().put("paths", "src").put("reason", "r")), "'paths' must be a list");
    assertBad(reserve(ada, mesh, "ada", new JsonObject().put("paths", new JsonArray().add(3)).put("reason", "r")),
        "'paths[0]' must be a string");
    assertBad(reserve(ada, mesh, "ada", new JsonObject().put("reason", "r")), "'paths' is required");
    assertBad(reserve(ada, mesh, "ada", new JsonObject().put("paths", new JsonArray().add("src"))), "'reason' is required");
    assertBad(reserve(ada, mesh, "ada", reservation(" ", "src")), "'reason' must not be blank");
    assertBad(reserve(ada, mesh, "ada", reservation("x".repeat(501), "src")), "'reason' must be at most 500 characters");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src").put("ttl_seconds", 9)), "'ttl_seconds' must be between 10 and 86400");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src").put("ttl_seconds", 86_401)), "'ttl_seconds' must be between 10 and 86400");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src").put("shared", "yes")), "'shared' must be true or false");
    assertBad(reserve(ada, mesh, "ada", reservation("r", "src").put("exclusive", true)), "unknown field 'exclusive'");
    assertThat(held(ada, mesh)).as("nothing reserved").isEmpty();

    reserve(ada, mesh, "ada", reservation("r", "src")).expect(201);
    assertBad(ada.delete(mesh.reserve("ada") + "?paths=src/%5Bx"), "'paths[0]' has an unbalanced '['");
    assertBad(ada.delete(mesh.reserve("ada") + "?paths="), "'paths[0]' must not be empty");
    assertBad(ada.send("DELETE", mesh.reserve("ada"), new JsonObject().put("paths", new JsonArray())), "'paths' must hold 1 to 50");
    assertBad(ada.send("DELETE", mesh.reserve("ada") + "?paths=src", new JsonObject().put("paths", new JsonArray().add("src"))),
        "'paths' must be given in the query or in the body, not both");
    assertThat(held(ada, mesh)).as("nothing released").containsExactly("ada:src");
  }

  private static JsonObject task() {
    return new JsonObject().put("title", "t");
  }

  private static void assertBad(ApiResponse response, String message) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("bad_request");
    assertThat(response.error()).contains(message);
  }
}
