package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.remember;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.ids.Ids;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Memory counts: every agent's at once, for the dashboard's agent cards")
class MemoryCountsTest {

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  private static JsonObject counts(ApiCaller caller, Mesh mesh) {
    return caller.get(mesh.memoryCountsPath()).expect(200);
  }

  private static JsonObject row(String agent, int count, int bytes) {
    return new JsonObject().put("agent", agent).put("count", count).put("bytes", bytes);
  }

  @Test
  @DisplayName("the owner sees each agent's count and bytes, by name, right after a remember or a forget, with the limits and the scratchpad's count")
  void owner() {
    Mesh mesh = Mesh.fresh();
    ApiCaller owner = client.owner(mesh);
    remember(client.guest(mesh, "reviewer"), mesh, "reviewer", "style", "tabs").expect(200);
    remember(client.guest(mesh, "api"), mesh, "api", "plan", "ship it").expect(200);
    remember(client.guest(mesh, "api"), mesh, "api", "café", "é").expect(200);
    set(client.guest(mesh, "api"), mesh, "board", value("open")).expect(201);

    JsonObject first = counts(owner, mesh);
    assertThat(first.getJsonArray("agents")).isEqualTo(new JsonArray(List.of(row("api", 2, 9), row("reviewer", 1, 4))));
    assertThat(first.getInteger("max_keys")).isEqualTo(100);
    assertThat(first.getInteger("max_value_bytes")).isEqualTo(10240);
    assertThat(first.getJsonObject("scratchpad")).isEqualTo(new JsonObject().put("count", 1).put("max_keys", 200));

    remember(client.owner(mesh, "api"), mesh, "api", "plan", "ship it now").expect(200);
    client.guest(mesh, "reviewer").delete(mesh.memoryPath("reviewer", "style")).expect(200);
    assertThat(counts(owner, mesh).getJsonArray("agents"))
        .as("replacing a value changes only its bytes; an agent that forgot everything is not listed")
        .isEqualTo(new JsonArray(List.of(row("api", 2, 13))));
  }

  @Test
  @DisplayName("a guest sees only its own agent's row, and an empty list while its agent keeps nothing")
  void guest() {
    Mesh mesh = Mesh.fresh();
    remember(client.guest(mesh, "api"), mesh, "api", "plan", "secret").expect(200);
    set(client.guest(mesh, "api"), mesh, "board", value("open")).expect(201);

    JsonObject reviewer = counts(client.guest(mesh, "reviewer"), mesh);
    assertThat(reviewer.getJsonArray("agents")).isEmpty();
    assertThat(reviewer.getJsonObject("scratchpad").getInteger("count")).as("the scratchpad is the whole meshwork's").isEqualTo(1);
    assertThat(reviewer.encode()).doesNotContain("secret").doesNotContain("\"api\"");

    assertThat(counts(client.guest(mesh, "api"), mesh).getJsonArray("agents")).isEqualTo(new JsonArray(List.of(row("api", 1, 6))));

    ApiCaller nameless = client.as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), null));
    nameless.get(mesh.memoryCountsPath()).expectError(403, "forbidden", "this guest token names no agent");
  }

  @Test
  @DisplayName("a spectator link reaches no agent's memory, counts included (403)")
  void spectator() {
    Mesh mesh = Mesh.fresh();
    remember(client.guest(mesh, "api"), mesh, "api", "plan", "secret").expect(200);
    ApiCaller watcher = client.as(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), "api"));
    for (ApiCaller spectator : List.of(client.spectator(mesh), watcher)) {
      spectator.get(mesh.memoryCountsPath())
          .expectError(403, "forbidden", "an agent's memory is private; a spectator link does not reach it");
    }
  }

  @Test
  @DisplayName("a meshwork out of reach is 404 (a malformed name) or 403 (a token scoped to none); one with nothing stored counts zero")
  void unknownMeshwork() {
    Mesh mesh = Mesh.fresh();
    remember(client.guest(mesh, "api"), mesh, "api", "plan", "x").expect(200);
    Mesh badName = new Mesh(mesh.id(), "Not_A_Name");
    assertThat(client.owner(mesh).get(badName.memoryCountsPath()).status()).isEqualTo(404);
    for (ApiCaller caller : client.unscoped("api")) {
      assertThat(caller.get(mesh.memoryCountsPath()).status()).isEqualTo(403);
    }
    Mesh empty = Mesh.fresh();
    JsonObject none = counts(client.owner(empty), empty);
    assertThat(none.getJsonArray("agents")).as("same agent name, another meshwork").isEmpty();
    assertThat(none.getJsonObject("scratchpad").getInteger("count")).isZero();
  }
}
