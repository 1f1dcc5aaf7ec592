package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.create;
import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.EventPublisher;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.Eventually;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Removals purge the board")
class PurgeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.EVENTS);

  private static final EventPublisher publisher = new EventPublisher();

  @AfterAll
  static void close() {
    publisher.close();
  }

  @Test
  @DisplayName("a removed agent's reservations are released and reported; what the next agent reserved or renewed, others' and the tasks assigned to the slot stay")
  void agentRemoved() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    ApiCaller bob = client.guest(mesh, "bob");
    reserve(ada, mesh, "ada", reservation("parser", "src/parser", "src/shared")).expect(201);
    reserve(bob, mesh, "bob", reservation("docs", "docs/*.md")).expect(201);
    String task = create(client.owner(mesh), mesh, new JsonObject().put("title", "Parse").put("assignee", "ada")).getString("id");
    Instant removedAt = TestSql.separatingInstant();
    // The next ada renews a path the old one held: it is hers now.
    reserve(ada, mesh, "ada", reservation("the next ada's", "src/lexer", "src/shared")).expect(201);

    publisher.send(Topics.AUTH, removal(Removals.AGENT_REMOVED, mesh, "ada", removedAt));

    Eventually.equalTo(() -> held(client.owner(mesh), mesh), List.of("ada:src/shared", "bob:docs/*.md", "ada:src/lexer"));
    List<Received> released = watcher.await(Topics.EVENTS, mesh.id(),
        events -> events.stream().anyMatch(e -> e.type().equals("reservation.released")), WAIT);
    Received event = released.stream().filter(e -> e.type().equals("reservation.released")).findFirst().orElseThrow();
    assertThat(event.event().agent()).isEqualTo("ada");
    assertThat(event.payload().getJsonArray("paths")).isEqualTo(new JsonArray().add("src/parser"));
    assertThat(client.owner(mesh).get(mesh.task(task)).expect(200).getString("assignee")).isEqualTo("ada");
  }

  @Test
  @DisplayName("a deleted meshwork's tasks and reservations are gone; another meshwork's stay")
  void meshworkDeleted() {
    Mesh mesh = Mesh.fresh();
    Mesh other = Mesh.fresh();
    create(client.owner(mesh), mesh, "Gone with it");
    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("parser", "src/parser")).expect(201);
    create(client.owner(other), other, "Stays");
    reserve(client.guest(other, "ada"), other, "ada", reservation("parser", "src/parser")).expect(201);

    publisher.send(Topics.AUTH, removal(Removals.MESHWORK_DELETED, mesh, null, Instant.now()));

    Eventually.equalTo(() -> titles(mesh), List.of());
    assertThat(held(client.owner(mesh), mesh)).isEmpty();
    assertThat(titles(other)).containsExactly("Stays");
    assertThat(held(client.owner(other), other)).containsExactly("ada:src/parser");
  }

  private static List<String> titles(Mesh mesh) {
    return client.owner(mesh).get(mesh.tasks()).expect(200).getJsonArray("tasks").stream()
        .map(t -> ((JsonObject) t).getString("title")).toList();
  }

  private static EventEnvelope removal(String type, Mesh mesh, String agent, Instant at) {
    return new EventEnvelope(Ids.newId(), type, mesh.id(), agent, at, new JsonObject());
  }

}
