package io.meshcode.bus;

import static io.meshcode.bus.BusClient.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.EventWatcher;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Session and status events")
class BusEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String BARRIER = "barrier";
  private static final String TOOL_CALLED = "tool.called";

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.LOG);

  @Test
  @DisplayName("opening, taking over and closing are logged in order and announced on mesh.log, keyed by meshwork, with each status change at once")
  void sessionEvents() {
    try (BusClient client = BusClient.start()) {
      Mesh mesh = Mesh.fresh();
      Caller owner = client.owner(mesh, "builder");
      String first = open(owner, mesh, "builder").getString("session_id");
      String second = open(owner, mesh, "builder", new JsonObject().put("take_over", true)).expect(201).getString("session_id");
      BusClient.heartbeat(owner, mesh, "builder", second, new JsonObject().put("busy", true)).expect(200);
      owner.delete(mesh.agentPath("builder") + "/sessions/" + second).expect(204);

      List<String> expected = List.of("session.opened", "agent.status", "session.taken_over", "session.opened",
          "agent.status", "session.closed", "agent.status");
      List<Received> events = watcher.await(Topics.LOG, mesh.id(), r -> r.size() >= expected.size(), WAIT);
      assertThat(events.stream().map(Received::type).toList()).isEqualTo(expected);
      for (Received event : events) {
        assertThat(event.key()).isEqualTo(mesh.id());
        assertThat(event.event().agent()).isEqualTo("builder");
      }
      JsonObject opened = events.get(0).payload();
      assertThat(opened.getString("session_id")).isEqualTo(first);
      assertThat(opened.getString("client")).isEqualTo("claude-code");
      assertThat(opened.getInteger("lease_seconds")).isEqualTo(BusSettings.DEFAULT_LEASE_SECONDS);
      assertThat(opened.getBoolean("took_over")).isFalse();
      assertThat(events.get(1).payload()).isEqualTo(new JsonObject().put("from", "offline").put("to", "online"));
      assertThat(events.get(2).payload())
          .isEqualTo(new JsonObject().put("session_id", first).put("by_session_id", second));
      assertThat(events.get(3).payload().getBoolean("took_over")).isTrue();
      assertThat(events.get(4).payload()).as("the busy heartbeat").isEqualTo(new JsonObject().put("from", "online").put("to", "working"));
      assertThat(events.get(5).payload().getString("session_id")).isEqualTo(second);
      assertThat(events.get(6).payload()).isEqualTo(new JsonObject().put("from", "working").put("to", "offline"));
    }
  }

  @Test
  @DisplayName("a wait that parks makes its agent waiting and one that hands messages over makes it working, each change reported once")
  void waitLoopEvents() {
    try (BusClient client = BusClient.start()) {
      Mesh mesh = Mesh.fresh();
      Caller bob = client.owner(mesh, "bob");
      open(bob, mesh, "bob");
      String take = mesh.agentPath("bob") + "/inbox/take";
      bob.post(take, new JsonObject().put("park_seconds", 30)).expect(200);
      bob.post(take, new JsonObject().put("park_seconds", 30)).expect(200); // still waiting: no change
      client.sender(mesh, "alice", "bob").post(mesh.agentPath("alice") + "/messages",
          new JsonObject().put("to", "bob").put("text", "work")).expect(201);
      bob.post(take, new JsonObject().put("park_seconds", 30)).expect(200);
      bob.post(take, new JsonObject()).expect(200); // handed over again: still working

      List<Received> changes = upToBarrier(client, mesh).stream()
          .filter(e -> e.type().equals("agent.status"))
          .toList();
      assertThat(changes.stream().map(Received::payload))
          .containsExactly(
              new JsonObject().put("from", "offline").put("to", "online"),
              new JsonObject().put("from", "online").put("to", "waiting"),
              new JsonObject().put("from", "waiting").put("to", "working"));
      for (Received change : changes) {
        assertThat(change.key()).isEqualTo(mesh.id());
        assertThat(change.event().agent()).isEqualTo("bob");
        assertThat(change.event().time()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
      }
      assertThat(changes.stream().map(e -> e.event().id()).distinct()).hasSize(changes.size());
      assertThat(changes).as("ids of version 7, so the log's index of ids grows at its end")
          .allMatch(e -> UUID.fromString(e.event().id()).version() == 7);
    }
  }

  @Test
  @DisplayName("an agent goes online, working, idle, waiting and offline, and each change is logged once as agent.status")
  void statusCycle() {
    try (BusClient client = BusClient.start(BusClient.FAST)) { // 3 s leases, idle after 1 s, a sweep every 200 ms
      Mesh mesh = Mesh.fresh();
      Caller bob = client.owner(mesh, "bob");
      String session = open(bob, mesh, "bob").getString("session_id");
      assertThat(BusClient.statusOf(bob, mesh, "bob")).as("just opened").isEqualTo("online");
      bob.post(mesh.agentPath("bob") + "/activity", new JsonObject()).expect(204);
      assertThat(BusClient.statusOf(bob, mesh, "bob")).as("after a tool call").isEqualTo("working");
      BusClient.awaitStatus(bob, mesh, "bob", "idle", WAIT);
      BusClient.heartbeat(bob, mesh, "bob", session).expect(200);
      bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject().put("park_seconds", 30)).expect(200);
      assertThat(BusClient.statusOf(bob, mesh, "bob")).as("a wait parked").isEqualTo("waiting");
      // No more heartbeats: the lease runs out during the wait.
      BusClient.awaitStatus(bob, mesh, "bob", "offline", WAIT);

      List<JsonObject> expected = List.of(
          new JsonObject().put("from", "offline").put("to", "online"),
          new JsonObject().put("from", "online").put("to", "working"),
          new JsonObject().put("from", "working").put("to", "idle"),
          new JsonObject().put("from", "idle").put("to", "waiting"),
          new JsonObject().put("from", "waiting").put("to", "offline"));
      watcher.await(Topics.LOG, mesh.id(), r -> r.stream().filter(e -> e.type().equals("agent.status")).count() >= expected.size(), WAIT);
      assertThat(upToBarrier(client, mesh).stream().filter(e -> e.type().equals("agent.status")).map(Received::payload))
          .containsExactlyElementsOf(expected);
      List<JsonObject> logged = LogFeed.await(client.spectator(mesh), mesh,
          log -> log.stream().filter(e -> "agent.status".equals(e.getString("type"))).count() >= expected.size());
      assertThat(logged.stream().filter(e -> "agent.status".equals(e.getString("type"))).map(e -> e.getJsonObject("payload")))
          .as("the replay log").containsExactlyElementsOf(expected);
    }
  }

  @Test
  @DisplayName("with two bus replicas sweeping one database, each agent's idle and offline changes are reported exactly once")
  void sweepersOnTwoReplicas() {
    // Sweeps every 50 ms on both, so their passes often overlap.
    Map<String, String> env = new HashMap<>(BusClient.FAST);
    env.put("MESHCODE_PRESENCE_SWEEP_MILLIS", "50");
    try (BusClient a = BusClient.start(env); BusClient b = BusClient.start(env)) {
      Mesh mesh = Mesh.fresh();
      List<String> agents = IntStream.range(0, 12).mapToObj(i -> "agent-" + i).toList();
      for (int i = 0; i < agents.size(); i++) {
        BusClient replica = i % 2 == 0 ? a : b;
        Caller owner = replica.owner(mesh, agents.get(i));
        open(owner, mesh, agents.get(i));
        owner.post(mesh.agentPath(agents.get(i)) + "/activity", new JsonObject()).expect(204);
      }
      watcher.await(Topics.LOG, mesh.id(), r -> r.stream().filter(e -> isStatus(e, "offline")).count() >= agents.size(), WAIT);
      // Both sweepers keep running: a second report by either comes before the barrier each replica writes after it.
      upToBarrier(a, mesh);
      List<Received> events = upToBarrier(b, mesh).stream().filter(e -> !e.type().equals(TOOL_CALLED)).toList();
      for (String agent : agents) {
        List<JsonObject> changes = events.stream()
            .filter(e -> e.type().equals("agent.status") && agent.equals(e.event().agent()))
            .map(Received::payload)
            .toList();
        assertThat(changes).as(agent).containsExactly(
            new JsonObject().put("from", "offline").put("to", "online"),
            new JsonObject().put("from", "online").put("to", "working"),
            new JsonObject().put("from", "working").put("to", "idle"),
            new JsonObject().put("from", "idle").put("to", "offline"));
      }
      assertThat(events.stream().map(e -> e.event().id()).distinct()).hasSize(events.size());
    }
  }

  /**
   * The meshwork's events up to a barrier: a tool call reported by an agent that has no session
   * (so it changes no status), written after every change committed before it. The meshwork's
   * entries keep their order on mesh.log, so a second report of anything before it comes before
   * it too, and nothing has to sleep to give it time.
   */
  private static List<Received> upToBarrier(BusClient replica, Mesh mesh) {
    String marker = UUID.randomUUID().toString();
    replica.owner(mesh, BARRIER).post(mesh.agentPath(BARRIER) + "/activity",
        new JsonObject().put("tool", "barrier").put("arguments", marker)).expect(204);
    List<Received> events = watcher.await(Topics.LOG, mesh.id(), r -> r.stream().anyMatch(e -> isBarrier(e, marker)), WAIT);
    int barrier = 0;
    while (!isBarrier(events.get(barrier), marker)) {
      barrier++;
    }
    return events.subList(0, barrier);
  }

  private static boolean isBarrier(Received event, String marker) {
    return event.type().equals(TOOL_CALLED) && BARRIER.equals(event.event().agent())
        && marker.equals(event.payload().getString("arguments"));
  }

  private static boolean isStatus(Received event, String to) {
    return event.type().equals("agent.status") && to.equals(event.payload().getString("to"));
  }
}
