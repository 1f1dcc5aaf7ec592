package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.memories;
import static io.meshcode.memory.MemoryClient.recall;
import static io.meshcode.memory.MemoryClient.remember;
import static io.meshcode.memory.MemoryClient.scratchpad;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.Topics;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Memory and scratchpad across a restart of the service")
class RestartTest {

  @Test
  @DisplayName("what was remembered and written before a stop is there after a start, versions go on, and its events went out on the stop")
  void survivesRestart() {
    Mesh mesh = Mesh.fresh();
    long version;
    try (EventWatcher watcher = new EventWatcher(Topics.EVENTS)) {
      try (MemoryClient first = MemoryClient.start()) {
        remember(first.guest(mesh, "builder"), mesh, "builder", "plan", "remember me").expect(200);
        version = set(first.guest(mesh, "builder"), mesh, "notes", value("shared")).expect(201).getLong("version");
      }
      List<Received> events = watcher.await(Topics.EVENTS, mesh.id(), r -> r.size() >= 2, Duration.ofSeconds(20));
      assertThat(events.stream().map(Received::type)).containsExactly("memory.remembered", "scratchpad.set");
    }

    try (MemoryClient second = MemoryClient.start()) {
      assertThat(recall(second.guest(mesh, "builder"), mesh, "builder", "plan").getString("value")).isEqualTo("remember me");
      assertThat(memories(second.owner(mesh, "builder"), mesh, "builder")).isEqualTo(new JsonObject().put("plan", "remember me"));
      assertThat(scratchpad(second.spectator(mesh), mesh)).isEqualTo(new JsonObject().put("notes", "shared"));
      set(second.guest(mesh, "reviewer"), mesh, "notes", value("stale").put("expected_version", version + 1)).expect(409);
      long next = set(second.guest(mesh, "reviewer"), mesh, "notes", value("edited").put("expected_version", version)).expect(200)
          .getLong("version");
      assertThat(next).isGreaterThan(version);
    }
  }
}
