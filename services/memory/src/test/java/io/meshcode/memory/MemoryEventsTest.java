package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.remember;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.Topics;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Memory and scratchpad events")
class MemoryEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.EVENTS);

  @Test
  @DisplayName("remember and forget reach mesh.events in order, keyed by meshwork, about the agent, with who did it, and never the value")
  void memoryEvents() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    ApiCaller owner = client.owner(mesh, "builder");
    long v1 = remember(agent, mesh, "builder", "plan", "top secret plan").expect(200).getLong("version");
    long v2 = remember(owner, mesh, "builder", "plan", "the owner's secret").expect(200).getLong("version");
    agent.delete(mesh.memoryPath("builder", "plan")).expect(200);
    agent.delete(mesh.memoryPath("builder", "plan")).expect(200);
    remember(agent, mesh, "builder", "big", "x".repeat(10_241)).expect(400);
    // A barrier: a meshwork's events keep their order, so one for what changed nothing would come before it.
    remember(agent, mesh, "builder", "barrier", "after the rest").expect(200);

    List<Received> all = watcher.await(Topics.EVENTS, mesh.id(),
        r -> r.stream().anyMatch(e -> "barrier".equals(e.payload().getString("key"))), WAIT);
    List<Received> events = all.subList(0, all.size() - 1);
    assertThat(all.get(all.size() - 1).payload().getString("key")).isEqualTo("barrier");
    assertThat(events.stream().map(Received::type)).as("nothing for what changed nothing")
        .containsExactly("memory.remembered", "memory.remembered", "memory.forgotten");
    for (Received event : events) {
      assertThat(event.key()).isEqualTo(mesh.id());
      assertThat(event.event().agent()).isEqualTo("builder");
      assertThat(event.value()).doesNotContain("secret");
    }
    assertThat(events.get(0).payload()).isEqualTo(new JsonObject()
        .put("key", "plan").put("size", 15).put("version", v1).put("created", true).put("by", "builder"));
    assertThat(events.get(1).payload()).isEqualTo(new JsonObject()
        .put("key", "plan").put("size", 18).put("version", v2).put("created", false).put("by", "owner"));
    assertThat(events.get(2).payload()).isEqualTo(new JsonObject()
        .put("key", "plan").put("size", 18).put("version", v2).put("by", "builder"));
  }

  @Test
  @DisplayName("scratchpad writes and deletes reach mesh.events with who wrote, the version, and the value's first KB")
  void scratchpadEvents() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    long v1 = set(agent, mesh, "plan", value("short")).expect(201).getLong("version");
    String longValue = "é".repeat(600);
    long v2 = set(client.owner(mesh), mesh, "plan", value(longValue)).expect(200).getLong("version");
    set(agent, mesh, "plan", value("refused").put("expected_version", v1)).expect(409);
    agent.delete(mesh.scratchpadPath("plan")).expect(200);

    List<Received> events = watcher.await(Topics.EVENTS, mesh.id(), r -> r.size() >= 3, WAIT);
    assertThat(events.stream().map(Received::type)).containsExactly("scratchpad.set", "scratchpad.set", "scratchpad.deleted");
    assertThat(events.stream().map(e -> e.event().agent())).containsExactly("builder", null, "builder");
    assertThat(events.get(0).payload()).isEqualTo(new JsonObject().put("key", "plan").put("size", 5).put("version", v1)
        .put("created", true).put("by", "builder").put("preview", "short").put("truncated", false));
    JsonObject second = events.get(1).payload();
    assertThat(second.getString("by")).isEqualTo("owner");
    assertThat(second.getInteger("size")).isEqualTo(1200);
    assertThat(second.getLong("version")).isEqualTo(v2);
    assertThat(second.getString("preview")).isEqualTo("é".repeat(512));
    assertThat(second.getBoolean("truncated")).isTrue();
    assertThat(events.get(2).payload()).isEqualTo(new JsonObject().put("key", "plan").put("size", 1200).put("version", v2).put("by", "builder"));
  }
}
