package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.all;
import static io.meshcode.memory.MemoryClient.count;
import static io.meshcode.memory.MemoryClient.scratchpad;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The meshwork's scratchpad: shared entries, compare-and-set, and its limits")
class ScratchpadTest {

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  @Test
  @DisplayName("every agent reads and writes the same entries, each with who wrote it last, when, and a new version")
  void shared() {
    Mesh mesh = Mesh.fresh();
    ApiCaller builder = client.guest(mesh, "builder");
    ApiCaller reviewer = client.guest(mesh, "reviewer");

    JsonObject created = set(builder, mesh, "plan", value("draft")).expect(201);
    assertThat(created.getBoolean("ok")).isTrue();
    assertThat(created.getBoolean("created")).isTrue();
    assertThat(created.getString("updated_by")).isEqualTo("builder");
    assertThat(created.getInteger("size")).isEqualTo(5);
    long v1 = created.getLong("version");

    JsonObject seen = reviewer.get(mesh.scratchpadPath("plan")).expect(200);
    assertThat(seen.getBoolean("found")).isTrue();
    assertThat(seen.getString("value")).isEqualTo("draft");
    assertThat(seen.getLong("version")).isEqualTo(v1);

    JsonObject replaced = set(reviewer, mesh, "plan", value("reviewed")).expect(200);
    assertThat(replaced.getBoolean("created")).isFalse();
    assertThat(replaced.getString("updated_by")).isEqualTo("reviewer");
    assertThat(replaced.getLong("version")).isGreaterThan(v1);

    assertThat(set(client.owner(mesh), mesh, "owner-note", value("hi")).expect(201).getString("updated_by")).isEqualTo("owner");
    assertThat(scratchpad(client.spectator(mesh), mesh))
        .isEqualTo(new JsonObject().put("owner-note", "hi").put("plan", "reviewed"));
    Mesh other = Mesh.fresh();
    assertThat(scratchpad(client.guest(other, "builder"), other)).as("another meshwork's is apart").isEmpty();

    assertThat(builder.delete(mesh.scratchpadPath("plan")).expect(200))
        .isEqualTo(new JsonObject().put("ok", true).put("key", "plan").put("deleted", true));
    assertThat(builder.delete(mesh.scratchpadPath("plan")).expect(200).getBoolean("deleted")).isFalse();
    assertThat(reviewer.get(mesh.scratchpadPath("plan")).expect(200))
        .isEqualTo(new JsonObject().put("ok", true).put("found", false).put("key", "plan"));
  }

  @Test
  @DisplayName("expected_version makes a write compare-and-set: 0 creates only, the current version replaces, anything else is 409 naming the current one")
  void compareAndSet() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    long v1 = set(agent, mesh, "lock", value("a").put("expected_version", 0)).expect(201).getLong("version");
    set(agent, mesh, "lock", value("b").put("expected_version", 0)).expectError(409, "version_conflict",
        "the scratchpad key 'lock' already exists, at version " + v1 + "; read it again and retry");
    set(agent, mesh, "lock", value("b").put("expected_version", v1 + 100)).expectError(409, "version_conflict",
        "the scratchpad key 'lock' is at version " + v1 + ", not " + (v1 + 100) + "; read it again and retry");
    set(agent, mesh, "absent", value("b").put("expected_version", 3)).expectError(409, "version_conflict",
        "the scratchpad key 'absent' does not exist (version 0), not at version 3; read it again and retry");
    long v2 = set(agent, mesh, "lock", value("b").put("expected_version", v1)).expect(200).getLong("version");
    set(agent, mesh, "lock", value("c").put("expected_version", v1)).expect(409);
    assertThat(scratchpad(agent, mesh)).as("refused writes change nothing").isEqualTo(new JsonObject().put("lock", "b"));

    agent.delete(mesh.scratchpadPath("lock") + "?expected_version=" + v1).expect(409);
    agent.delete(mesh.scratchpadPath("lock") + "?expected_version=0").expect(409);
    assertThat(agent.delete(mesh.scratchpadPath("lock") + "?expected_version=" + v2).expect(200).getBoolean("deleted")).isTrue();
    assertThat(agent.delete(mesh.scratchpadPath("lock") + "?expected_version=0").expect(200).getBoolean("deleted")).isFalse();

    long v3 = set(agent, mesh, "lock", value("again").put("expected_version", 0)).expect(201).getLong("version");
    assertThat(v3).as("a key written again after a delete never takes an old version").isGreaterThan(v2);
    set(agent, mesh, "lock", value("stale").put("expected_version", v1)).expect(409);
  }

  @Test
  @DisplayName("20 compare-and-set writes with the same expected version at once: exactly one wins, 19 get 409")
  void concurrentCompareAndSet() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    long version = set(agent, mesh, "counter", value("0")).expect(201).getLong("version");
    List<ApiResponse> answers = all(IntStream.range(0, 20)
        .mapToObj(i -> client.guest(mesh, "agent-" + i).sendAsync("PUT", mesh.scratchpadPath("counter"),
            value("won by " + i).put("expected_version", version)))
        .toList());
    assertThat(count(answers, 200)).as(answers.toString()).isEqualTo(1);
    assertThat(count(answers, 409)).isEqualTo(19);
    JsonObject winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow().body();
    JsonObject stored = agent.get(mesh.scratchpadPath("counter")).expect(200);
    assertThat(stored.getString("value")).isEqualTo(winner.getString("value"));
    assertThat(stored.getString("updated_by")).isEqualTo(winner.getString("updated_by"));
    assertThat(stored.getLong("version")).isEqualTo(winner.getLong("version"));
  }

  @Test
  @DisplayName("20 agents creating the same key with expected_version 0 at once: exactly one creates it")
  void concurrentCreate() {
    Mesh mesh = Mesh.fresh();
    List<ApiResponse> answers = all(IntStream.range(0, 20)
        .mapToObj(i -> client.guest(mesh, "agent-" + i).sendAsync("PUT", mesh.scratchpadPath("leader"),
            value("agent-" + i).put("expected_version", 0)))
        .toList());
    assertThat(count(answers, 201)).as(answers.toString()).isEqualTo(1);
    assertThat(count(answers, 409)).isEqualTo(19);
  }

  @Test
  @DisplayName("200 keys fit and a 201st is 409 naming the limit, the scratchpad unchanged; 20 racing for the last 5 places: exactly 5 win")
  void keyLimit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    fill(agent, mesh, 0, 195);
    List<ApiResponse> answers = all(IntStream.range(0, 20)
        .mapToObj(i -> agent.sendAsync("PUT", mesh.scratchpadPath("racer-" + i), value("r")))
        .toList());
    assertThat(count(answers, 201)).as(answers.toString()).isEqualTo(5);
    assertThat(count(answers, 409)).isEqualTo(15);

    JsonObject before = scratchpad(agent, mesh);
    assertThat(before.size()).isEqualTo(200);
    set(agent, mesh, "one-too-many", value("x"))
        .expectError(409, "limit_reached", "a meshwork's scratchpad holds at most 200 keys; delete one first");
    set(client.owner(mesh), mesh, "one-too-many", value("x").put("expected_version", 0)).expect(409);
    assertThat(scratchpad(agent, mesh)).isEqualTo(before);

    assertThat(set(agent, mesh, "key-3", value("replaced")).expect(200).getBoolean("created")).isFalse();
    agent.delete(mesh.scratchpadPath("key-4")).expect(200);
    set(agent, mesh, "one-too-many", value("now it fits")).expect(201);
  }

  @Test
  @DisplayName("a value of exactly 65,536 UTF-8 bytes fits; one byte more is 400 naming 'value' and the limit, the scratchpad unchanged")
  void valueLimit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    String exact = "€".repeat(21_845) + "a";
    assertThat(set(agent, mesh, "big", value(exact)).expect(201).getInteger("size")).isEqualTo(65_536);
    set(agent, mesh, "big", value(exact + "b"))
        .expectError(400, "bad_request", "'value' must be at most 65536 bytes (UTF-8); it has 65537");
    set(agent, mesh, "other", value("x".repeat(65_537))).expect(400);
    assertThat(scratchpad(agent, mesh)).isEqualTo(new JsonObject().put("big", exact));
  }

  /** Writes keys key-{from} to key-{to - 1}, a few at a time. */
  private static void fill(ApiCaller agent, Mesh mesh, int from, int to) {
    for (int start = from; start < to; start += 10) {
      List<CompletableFuture<ApiResponse>> batch = IntStream.range(start, Math.min(start + 10, to))
          .mapToObj(i -> agent.sendAsync("PUT", mesh.scratchpadPath("key-" + i), value("v" + i)))
          .toList();
      all(batch).forEach(answer -> answer.expect(201));
    }
  }
}
