package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.claim;
import static io.meshcode.tasks.TasksClient.create;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.Topics;
import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Task and reservation events on mesh.events")
class TasksEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.EVENTS);

  @Test
  @DisplayName("every change of a task is an event keyed by meshwork, by the agent who acted, with what changed")
  void taskEvents() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    ApiCaller ada = client.guest(mesh, "ada");
    JsonObject task = create(owner, mesh, new JsonObject().put("title", "Parser").put("assignee", "bob").put("priority", "high"));
    String id = task.getString("id");
    ada.patch(mesh.task(id), new JsonObject().put("assignee", "ada").put("progress", 10).put("note", "taking this")).expect(200);
    ada.patch(mesh.task(id), new JsonObject().putNull("assignee")).expect(200);
    ada.patch(mesh.task(id), new JsonObject().put("progress", 10)).expect(200);
    claim(client.guest(mesh, "cy"), mesh, "cy", id).expect(200);
    claim(client.guest(mesh, "cy"), mesh, "cy", id).expect(200);
    owner.patch(mesh.task(id), new JsonObject().put("assignee", "dee").put("version", 4)).expect(200);
    ada.delete(mesh.task(id)).expect(204);

    List<String> expected = List.of("task.created", "task.assigned", "task.updated", "task.updated", "task.claimed",
        "task.updated", "task.assigned", "task.deleted");
    // The delete comes after every request that changed nothing: a meshwork's events keep their
    // order, so an event of one of them would come before the delete's.
    List<Received> events = watcher.await(Topics.EVENTS, mesh.id(), r -> r.stream().anyMatch(e -> e.type().equals("task.deleted")), WAIT);
    assertThat(events.stream().map(Received::type).toList()).as("no event for what changed nothing").isEqualTo(expected);
    assertThat(events).allSatisfy(e -> assertThat(e.key()).isEqualTo(mesh.id()));
    assertThat(events.stream().map(e -> e.event().agent()).toList())
        .containsExactly("owner", "owner", "ada", "ada", "cy", "owner", "owner", "ada");

    assertThat(events.get(0).payload()).isEqualTo(new JsonObject()
        .put("task_id", id).put("title", "Parser").put("description", "").put("status", "todo").put("priority", "high")
        .put("assignee", "bob").put("progress", 0).put("created_by", "owner").put("version", 1));
    assertThat(events.get(1).payload()).isEqualTo(new JsonObject()
        .put("task_id", id).put("title", "Parser").put("assignee", "bob").put("by", "owner"));
    assertThat(events.get(2).payload()).isEqualTo(new JsonObject()
        .put("task_id", id).put("title", "Parser").put("version", 2)
        .put("changes", new JsonObject()
            .put("assignee", new JsonObject().put("from", "bob").put("to", "ada"))
            .put("progress", new JsonObject().put("from", 0).put("to", 10)))
        .put("note", "taking this"));
    assertThat(events.get(3).payload().getJsonObject("changes"))
        .isEqualTo(new JsonObject().put("assignee", new JsonObject().put("from", "ada").putNull("to")));
    assertThat(events.get(4).payload()).isEqualTo(new JsonObject()
        .put("task_id", id).put("title", "Parser").put("status", "in_progress").put("previous_status", "todo").put("version", 4));
    assertThat(events.get(6).payload()).isEqualTo(new JsonObject()
        .put("task_id", id).put("title", "Parser").put("assignee", "dee").put("by", "owner"));
    assertThat(events.get(7).payload()).isEqualTo(new JsonObject().put("task_id", id).put("title", "Parser").put("version", 5));
  }

  @Test
  @DisplayName("reserving, renewing and releasing are events of the holder, with the paths")
  void reservationEvents() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    String expires = reserve(ada, mesh, "ada", reservation("refactor", "src/a", "src/b").put("ttl_seconds", 600))
        .expect(201).getJsonArray("reservations").getJsonObject(0).getString("expires_at");
    reserve(ada, mesh, "ada", reservation("still", "src/b", "src/c").put("shared", true)).expect(201);
    ada.delete(mesh.reserve("ada") + "?paths=src/a").expect(200);
    ada.delete(mesh.reserve("ada") + "?paths=src/a").expect(200);
    ada.delete(mesh.reserve("ada")).expect(200);
    reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("mine", "src/a")).expect(201);
    reserve(client.guest(mesh, "cy"), mesh, "cy", reservation("refused", "src")).expect(409);
    // A barrier after the refusal: a meshwork's events keep their order, so one of the refusal would come before it.
    client.guest(mesh, "bob").delete(mesh.reserve("bob")).expect(200);

    List<String> expected = List.of("reservation.created", "reservation.created", "reservation.released", "reservation.released",
        "reservation.created", "reservation.released");
    List<Received> events = watcher.await(Topics.EVENTS, mesh.id(),
        r -> r.stream().anyMatch(e -> e.type().equals("reservation.released") && "bob".equals(e.event().agent())), WAIT);
    assertThat(events.stream().map(Received::type).toList()).as("none for a release of nothing, or a refusal").isEqualTo(expected);
    assertThat(events.stream().map(e -> e.event().agent()).toList()).containsExactly("ada", "ada", "ada", "ada", "bob", "bob");
    assertThat(events.get(0).payload()).isEqualTo(new JsonObject()
        .put("paths", new JsonArray().add("src/a").add("src/b")).put("reason", "refactor").put("shared", false)
        .put("ttl_seconds", 600).put("expires_at", expires).put("renewed", new JsonArray()));
    JsonObject renewal = events.get(1).payload();
    assertThat(renewal.getJsonArray("renewed")).containsExactly("src/b");
    assertThat(renewal.getBoolean("shared")).isTrue();
    assertThat(renewal.getInteger("ttl_seconds")).isEqualTo(1800);
    assertThat(events.get(2).payload()).isEqualTo(new JsonObject().put("paths", new JsonArray().add("src/a")));
    assertThat(events.get(3).payload().getJsonArray("paths")).containsExactlyInAnyOrder("src/b", "src/c");
  }
}
