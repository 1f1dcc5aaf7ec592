package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.EventPublisher;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reservations whose time is up: their time is made to pass by moving their expiry into the past. */
@DisplayName("Reservations that run out")
class ReservationExpiryTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.EVENTS);

  @Test
  @DisplayName("an expired reservation counts for nothing at once, before any sweep, and its expiry is reported once")
  void goneAtOnce() {
    // A sweeper that would only come after a minute.
    try (TasksClient client = TasksClient.start(Map.of("MESHCODE_RESERVATION_SWEEP_MILLIS", "60000"))) {
      Mesh mesh = Mesh.fresh();
      reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("old work", "src/**")).expect(201);
      age(mesh);

      assertThat(held(client.spectator(mesh), mesh)).isEmpty();
      assertThat(client.spectator(mesh).get(mesh.reservations() + "?path=src/a.java").expect(200).getJsonArray("reservations")).isEmpty();
      reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("new work", "src/a.java")).expect(201);
      reserve(client.guest(mesh, "cy"), mesh, "cy", reservation("more", "lib")).expect(201);

      // The relay sends in the order the changes committed: a second report of bob's expiry would be out before dee's.
      reserve(client.guest(mesh, "dee"), mesh, "dee", reservation("last", "docs")).expect(201);
      List<Received> events = watcher.await(Topics.EVENTS, mesh.id(), r -> r.stream().anyMatch(e -> "dee".equals(e.event().agent())), WAIT);
      assertThat(watcher.types(Topics.EVENTS, mesh.id())).containsExactly(
          "reservation.created", "reservation.expired", "reservation.created", "reservation.created", "reservation.created");
      Received expired = events.get(1);
      assertThat(expired.event().agent()).isEqualTo("bob");
      assertThat(expired.payload().getJsonArray("paths")).containsExactly("src/**");
      assertThat(expired.payload().getString("reason")).isEqualTo("old work");
      assertThat(rows(mesh)).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("with two replicas sweeping one database, each expired reservation is deleted and reported exactly once")
  void sweepersOnTwoReplicas() {
    Map<String, String> env = new HashMap<>(TasksClient.FAST);
    env.put("MESHCODE_RESERVATION_SWEEP_MILLIS", "50");
    Mesh mesh = Mesh.fresh();
    List<String> agents = IntStream.range(0, 12).mapToObj(i -> "agent-" + i).toList();
    try (TasksClient a = TasksClient.start(env); TasksClient b = TasksClient.start(env)) {
      for (int i = 0; i < agents.size(); i++) {
        String agent = agents.get(i);
        TasksClient replica = i % 2 == 0 ? a : b;
        reserve(replica.guest(mesh, agent), mesh, agent, reservation("mine", agent + "/x", agent + "/y")).expect(201);
      }
      age(mesh);

      watcher.await(Topics.EVENTS, mesh.id(), r -> expiries(r).size() >= 2 * agents.size(), WAIT);
      assertThat(rows(mesh)).isZero();
      assertThat(held(a.spectator(mesh), mesh)).isEmpty();
    }
    // Stopped, each replica's sweeper is done and its relay has the broker holding all it reported:
    // a record published now lands behind any second report.
    try (EventPublisher publisher = new EventPublisher()) {
      publisher.send(Topics.EVENTS, EventEnvelope.of("test.marker", mesh.id(), null, new JsonObject()));
    }
    watcher.await(Topics.EVENTS, mesh.id(), r -> r.stream().anyMatch(e -> e.type().equals("test.marker")), WAIT);
    List<Received> expiries = expiries(watcher.of(Topics.EVENTS, mesh.id()));
    assertThat(expiries).hasSize(2 * agents.size());
    assertThat(expiries.stream().map(e -> e.event().agent() + ":" + e.payload().getJsonArray("paths").getString(0)).distinct())
        .hasSize(2 * agents.size());
  }

  private static List<Received> expiries(List<Received> events) {
    return events.stream().filter(e -> e.type().equals("reservation.expired")).toList();
  }

  /** Moves every reservation of the meshwork a second past its expiry. */
  static void age(Mesh mesh) {
    TestSql.update("UPDATE tasks.reservations SET expires_at = now() - interval '1 second' WHERE meshwork_id = ?::uuid", mesh.id());
  }

  static long rows(Mesh mesh) {
    return TestSql.count("SELECT count(*) FROM tasks.reservations WHERE meshwork_id = ?::uuid", mesh.id());
  }
}
