package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.all;
import static io.meshcode.memory.MemoryClient.count;
import static io.meshcode.memory.MemoryClient.memories;
import static io.meshcode.memory.MemoryClient.recall;
import static io.meshcode.memory.MemoryClient.remember;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("An agent's memory: remember, recall, forget, and its limits")
class AgentMemoryTest {

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  @Test
  @DisplayName("remember stores a value, recall finds it, a second remember replaces it, forget removes it")
  void rememberRecallForget() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");

    JsonObject first = remember(agent, mesh, "builder", "plan", "ship the parser").expect(200);
    assertThat(first.getBoolean("ok")).isTrue();
    assertThat(first.getBoolean("created")).isTrue();
    assertThat(first.getString("key")).isEqualTo("plan");
    assertThat(first.getString("value")).isEqualTo("ship the parser");
    assertThat(first.getInteger("size")).isEqualTo(15);
    assertThat(first.getString("updated_by")).isEqualTo("builder");
    assertThat(Instant.parse(first.getString("updated_at"))).isNotNull();

    JsonObject found = recall(agent, mesh, "builder", "plan");
    assertThat(found.getBoolean("ok")).isTrue();
    assertThat(found.getBoolean("found")).isTrue();
    assertThat(found.getString("value")).isEqualTo("ship the parser");

    JsonObject second = remember(agent, mesh, "builder", "plan", "{\"step\":2}").expect(200);
    assertThat(second.getBoolean("created")).isFalse();
    assertThat(second.getLong("version")).isGreaterThan(first.getLong("version"));
    assertThat(recall(agent, mesh, "builder", "plan").getString("value")).isEqualTo("{\"step\":2}");

    assertThat(agent.delete(mesh.memoryPath("builder", "plan")).expect(200))
        .isEqualTo(new JsonObject().put("ok", true).put("key", "plan").put("forgotten", true));
    assertThat(agent.delete(mesh.memoryPath("builder", "plan")).expect(200).getBoolean("forgotten")).isFalse();
    assertThat(recall(agent, mesh, "builder", "plan"))
        .isEqualTo(new JsonObject().put("ok", true).put("found", false).put("key", "plan"));
  }

  @Test
  @DisplayName("recall of a key never remembered is 200 found:false, also for an agent that never remembered anything")
  void recallMissing() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    assertThat(recall(agent, mesh, "builder", "nothing"))
        .isEqualTo(new JsonObject().put("ok", true).put("found", false).put("key", "nothing"));
    JsonObject none = agent.get(mesh.memoryPath("builder")).expect(200);
    assertThat(none.getJsonArray("memories")).isEmpty();
    assertThat(none.getInteger("count")).isZero();
    assertThat(none.getInteger("max_keys")).isEqualTo(100);
  }

  @Test
  @DisplayName("recall all lists the agent's memories by key, and only its own")
  void recallAll() {
    Mesh mesh = Mesh.fresh();
    ApiCaller builder = client.guest(mesh, "builder");
    for (String key : List.of("b", "a", "c/d", "Z")) {
      remember(builder, mesh, "builder", key, "value of " + key).expect(200);
    }
    remember(client.guest(mesh, "reviewer"), mesh, "reviewer", "a", "the reviewer's").expect(200);
    Mesh other = Mesh.fresh();
    remember(client.guest(other, "builder"), other, "builder", "x", "another meshwork's").expect(200);

    JsonObject all = memories(builder, mesh, "builder");
    assertThat(all.fieldNames()).containsExactly("Z", "a", "b", "c/d");
    assertThat(all.getString("a")).isEqualTo("value of a");
  }

  @Test
  @DisplayName("a key may hold any character but control characters, '/' sent as %2F, up to 200 of them")
  void keys() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    List<String> keys = List.of("notes/today", "with space", "ünïcödé 🚀", "a+b=c?d&e#f", "%2F", "k".repeat(200), "🚀".repeat(200));
    for (String key : keys) {
      assertThat(remember(agent, mesh, "builder", key, key).expect(200).getString("key")).isEqualTo(key);
      assertThat(recall(agent, mesh, "builder", key).getString("value")).isEqualTo(key);
    }
    assertThat(memories(agent, mesh, "builder").fieldNames()).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  @DisplayName("the owner reads and edits any agent's memory (edit_memory), and the agent sees who edited")
  void ownerEdits() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    ApiCaller owner = client.owner(mesh, "builder");
    remember(agent, mesh, "builder", "plan", "mine").expect(200);

    assertThat(recall(owner, mesh, "builder", "plan").getString("value")).isEqualTo("mine");
    JsonObject edited = remember(owner, mesh, "builder", "plan", "the owner's").expect(200);
    assertThat(edited.getString("updated_by")).isEqualTo("owner");
    remember(owner, mesh, "builder", "hint", "from the owner").expect(200);

    JsonObject seen = recall(agent, mesh, "builder", "plan");
    assertThat(seen.getString("value")).isEqualTo("the owner's");
    assertThat(seen.getString("updated_by")).isEqualTo("owner");
    assertThat(memories(agent, mesh, "builder").getString("hint")).isEqualTo("from the owner");
    assertThat(owner.delete(mesh.memoryPath("builder", "hint")).expect(200).getBoolean("forgotten")).isTrue();
  }

  @Test
  @DisplayName("an agent whose MCP server runs on the owner's key writes as that agent, memory and scratchpad alike")
  void ownerKeyActingAsAgent() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh, "builder");
    ApiCaller window = client.as(owner.principal().vouching(new JsonObject().put(VouchedWindow.AGENT_CLAIM, "builder")));
    assertThat(remember(window, mesh, "builder", "plan", "mine").expect(200).getString("updated_by")).isEqualTo("builder");
    assertThat(recall(owner, mesh, "builder", "plan").getString("updated_by")).isEqualTo("builder");
    assertThat(remember(owner, mesh, "builder", "plan", "the owner's").expect(200).getString("updated_by"))
        .as("the owner without a window is the owner").isEqualTo("owner");

    ApiCaller padWindow = client.as(client.owner(mesh).principal().vouching(new JsonObject().put(VouchedWindow.AGENT_CLAIM, "builder")));
    assertThat(MemoryClient.set(padWindow, mesh, "shared", new JsonObject().put("value", "v")).expect(201).getString("updated_by"))
        .isEqualTo("builder");
  }

  @Test
  @DisplayName("100 memories fit and a 101st key is 409 naming the limit, the store unchanged; replacing and forgetting still work")
  void keyLimit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    fill(agent, mesh, 0, 100);
    JsonObject before = memories(agent, mesh, "builder");
    assertThat(before.size()).isEqualTo(100);

    remember(agent, mesh, "builder", "one-too-many", "x")
        .expectError(409, "limit_reached", "an agent may keep at most 100 memories; forget one first");
    remember(client.owner(mesh, "builder"), mesh, "builder", "owner-too", "x").expect(409);
    assertThat(memories(agent, mesh, "builder")).isEqualTo(before);

    assertThat(remember(agent, mesh, "builder", "key-7", "replaced").expect(200).getBoolean("created")).isFalse();
    agent.delete(mesh.memoryPath("builder", "key-8")).expect(200);
    assertThat(remember(agent, mesh, "builder", "one-too-many", "now it fits").expect(200).getBoolean("created")).isTrue();
    assertThat(remember(client.guest(mesh, "reviewer"), mesh, "reviewer", "own-limit", "x").status())
        .as("the limit is per agent").isEqualTo(200);
  }

  @Test
  @DisplayName("a value of exactly 10,240 UTF-8 bytes fits; one byte more is 400 naming 'value' and the limit, the store unchanged")
  void valueLimit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    String exact = "é".repeat(5119) + "ab";
    assertThat(remember(agent, mesh, "builder", "big", exact).expect(200).getInteger("size")).isEqualTo(10_240);
    assertThat(recall(agent, mesh, "builder", "big").getString("value")).isEqualTo(exact);

    String over = "é".repeat(5120) + "a";
    remember(agent, mesh, "builder", "big", over)
        .expectError(400, "bad_request", "'value' must be at most 10240 bytes (UTF-8); it has 10241");
    remember(agent, mesh, "builder", "bigger", "x".repeat(10_241)).expect(400);
    assertThat(memories(agent, mesh, "builder")).isEqualTo(new JsonObject().put("big", exact));
  }

  @Test
  @DisplayName("with 95 memories, 20 new keys written at once: exactly 5 are stored, 15 refused with 409")
  void concurrentInsertsAtLimit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    fill(agent, mesh, 0, 95);
    List<ApiResponse> answers = all(IntStream.range(0, 20)
        .mapToObj(i -> agent.sendAsync("PUT", mesh.memoryPath("builder", "racer-" + i), MemoryClient.value("r" + i)))
        .toList());
    assertThat(count(answers, 200)).as(answers.toString()).isEqualTo(5);
    assertThat(count(answers, 409)).isEqualTo(15);
    assertThat(memories(agent, mesh, "builder").size()).isEqualTo(100);
  }

  @Test
  @DisplayName("with 99 memories, two new keys written at once: exactly one is stored")
  void twoRacersForTheLastKey() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    fill(agent, mesh, 0, 99);
    List<ApiResponse> answers = all(List.of(
        agent.sendAsync("PUT", mesh.memoryPath("builder", "left"), MemoryClient.value("l")),
        client.owner(mesh, "builder").sendAsync("PUT", mesh.memoryPath("builder", "right"), MemoryClient.value("r"))));
    assertThat(answers.stream().map(ApiResponse::status)).as(answers.toString()).containsExactlyInAnyOrder(200, 409);
    assertThat(memories(agent, mesh, "builder").size()).isEqualTo(100);
  }

  /** Remembers keys key-{from} to key-{to - 1}, a few at a time. */
  private static void fill(ApiCaller agent, Mesh mesh, int from, int to) {
    for (int start = from; start < to; start += 10) {
      List<CompletableFuture<ApiResponse>> batch = IntStream.range(start, Math.min(start + 10, to))
          .mapToObj(i -> agent.sendAsync("PUT", mesh.memoryPath("builder", "key-" + i), MemoryClient.value("v" + i)))
          .toList();
      all(batch).forEach(answer -> answer.expect(200));
    }
  }
}
