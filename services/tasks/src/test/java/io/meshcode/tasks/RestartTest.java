package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.claim;
import static io.meshcode.tasks.TasksClient.create;
import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.Topics;
import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.EventWatcher;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The board and the reservations across a restart of the service")
class RestartTest {

  @Test
  @DisplayName("tasks, claims, versions and reservations survive a restart, and what was written before it is published")
  void survives() {
    Mesh mesh = Mesh.fresh();
    String id;
    JsonObject before;
    try (TasksClient client = TasksClient.start()) {
      id = create(client.owner(mesh), mesh, new JsonObject().put("title", "Durable").put("priority", "high")).getString("id");
      claim(client.guest(mesh, "ada"), mesh, "ada", id).expect(200);
      before = client.guest(mesh, "ada").patch(mesh.task(id), new JsonObject().put("progress", 30).put("version", 2)).expect(200);
      reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("durable work", "src/**")).expect(201);
    }

    try (TasksClient client = TasksClient.start(); EventWatcher watcher = new EventWatcher(Topics.EVENTS)) {
      assertThat(client.spectator(mesh).get(mesh.task(id)).expect(200)).isEqualTo(before);
      claim(client.guest(mesh, "bob"), mesh, "bob", id).expectError(409, "claimed", "task is held by 'ada'");
      client.guest(mesh, "ada").patch(mesh.task(id), new JsonObject().put("progress", 60).put("version", 2))
          .expectError(409, "version_conflict", "the task is at version 3, not 2; read it again and retry");
      assertThat(client.guest(mesh, "ada").patch(mesh.task(id), new JsonObject().put("progress", 60).put("version", 3))
          .expect(200).getInteger("version")).isEqualTo(4);
      assertThat(held(client.spectator(mesh), mesh)).containsExactly("ada:src/**");
      assertThat(reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("mine", "src/a.java")).code()).isEqualTo("reserved");

      watcher.await(Topics.EVENTS, mesh.id(), r -> r.size() >= 5, Duration.ofSeconds(20));
      assertThat(watcher.types(Topics.EVENTS, mesh.id()))
          .containsExactly("task.created", "task.claimed", "task.updated", "reservation.created", "task.updated");
    }
  }
}
