package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.memories;
import static io.meshcode.memory.MemoryClient.recall;
import static io.meshcode.memory.MemoryClient.remember;
import static io.meshcode.memory.MemoryClient.scratchpad;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.ids.Ids;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCall;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Who reaches which memory and scratchpad, and what a request must hold")
class AccessTest {

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  private static List<ApiCall> memoryCalls(Mesh mesh, String agent) {
    return List.of(
        new ApiCall("GET", mesh.memoryPath(agent), null),
        new ApiCall("GET", mesh.memoryPath(agent, "plan"), null),
        new ApiCall("PUT", mesh.memoryPath(agent, "plan"), value("taken")),
        new ApiCall("DELETE", mesh.memoryPath(agent, "plan"), null));
  }

  private static List<ApiCall> scratchpadWrites(Mesh mesh) {
    return List.of(
        new ApiCall("PUT", mesh.scratchpadPath("plan"), value("taken")),
        new ApiCall("DELETE", mesh.scratchpadPath("plan"), null));
  }

  @Test
  @DisplayName("an agent cannot read or touch another agent's memory: every memory route naming it is 404")
  void privacy() {
    Mesh mesh = Mesh.fresh();
    remember(client.guest(mesh, "builder"), mesh, "builder", "plan", "secret").expect(200);
    List<ApiCaller> strangers = List.of(client.guest(mesh, "reviewer"), client.owner(mesh, "reviewer"), client.owner(mesh));
    for (ApiCaller stranger : strangers) {
      for (ApiCall call : memoryCalls(mesh, "builder")) {
        ApiResponse answer = call.as(stranger);
        assertThat(answer.status()).as(call + " " + answer.body()).isEqualTo(404);
        assertThat(answer.body().encode()).doesNotContain("secret");
      }
    }
    Mesh other = Mesh.fresh();
    assertThat(memories(client.guest(other, "builder"), other, "builder")).as("same agent name, another meshwork").isEmpty();
    assertThat(recall(client.guest(mesh, "builder"), mesh, "builder", "plan").getString("value")).isEqualTo("secret");
  }

  @Test
  @DisplayName("a spectator reads the scratchpad but writes nothing (403 read-only), and reaches no agent's memory (403)")
  void spectator() {
    Mesh mesh = Mesh.fresh();
    remember(client.guest(mesh, "builder"), mesh, "builder", "plan", "secret").expect(200);
    set(client.guest(mesh, "builder"), mesh, "plan", value("shared")).expect(201);
    ApiCaller watcher = client.as(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), "builder"));
    for (ApiCaller spectator : List.of(client.spectator(mesh), watcher)) {
      for (ApiCall call : scratchpadWrites(mesh)) {
        call.as(spectator).expectError(403, "forbidden", "a spectator link is read-only");
      }
      List<ApiCall> memory = memoryCalls(mesh, "builder");
      for (ApiCall read : memory.subList(0, 2)) {
        read.as(spectator).expectError(403, "forbidden", "an agent's memory is private; a spectator link does not reach it");
      }
      for (ApiCall write : memory.subList(2, 4)) {
        write.as(spectator).expectError(403, "forbidden", "a spectator link is read-only");
      }
      assertThat(scratchpad(spectator, mesh)).isEqualTo(new JsonObject().put("plan", "shared"));
      assertThat(spectator.get(mesh.scratchpadPath("plan")).expect(200).getString("value")).isEqualTo("shared");
    }
    assertThat(recall(client.guest(mesh, "builder"), mesh, "builder", "plan").getString("value")).isEqualTo("secret");
  }

  @Test
  @DisplayName("a token scoped to no meshwork (the gateway's own, an owner's without the claim, a malformed id) is 403 everywhere")
  void noMeshwork() {
    Mesh mesh = Mesh.fresh();
    for (ApiCaller caller : client.unscoped("builder")) {
      for (ApiCall call : memoryCalls(mesh, "builder")) {
        assertThat(call.as(caller).status()).as(call.toString()).isEqualTo(403);
      }
      for (ApiCall call : scratchpadWrites(mesh)) {
        assertThat(call.as(caller).status()).as(call.toString()).isEqualTo(403);
      }
      assertThat(caller.get(mesh.scratchpadPath()).status()).isEqualTo(403);
    }
    assertThat(scratchpad(client.spectator(mesh), mesh)).isEmpty();
  }

  @Test
  @DisplayName("a guest token naming no agent cannot write the scratchpad, since a write must say who wrote it")
  void guestWithoutAgent() {
    Mesh mesh = Mesh.fresh();
    ApiCaller nameless = client.as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), null));
    set(nameless, mesh, "plan", value("x")).expectError(403, "forbidden", "this guest token names no agent");
    assertThat(scratchpad(nameless, mesh)).isEmpty();
  }

  @Test
  @DisplayName("a malformed meshwork or agent name in the path is 404")
  void badNames() {
    Mesh mesh = Mesh.fresh();
    Mesh badMesh = new Mesh(mesh.id(), "Not_A_Name");
    assertThat(client.owner(mesh).get(badMesh.scratchpadPath()).status()).isEqualTo(404);
    assertThat(remember(client.owner(mesh, "builder"), badMesh, "builder", "k", "v").status()).isEqualTo(404);
    assertThat(remember(client.owner(mesh, "BUILDER"), mesh, "BUILDER", "k", "v").status()).isEqualTo(404);
    assertThat(memories(client.owner(mesh, "builder"), mesh, "builder")).isEmpty();
  }

  @Test
  @DisplayName("bad keys, values, versions and bodies are 400 naming the field, and nothing is stored")
  void badInput() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    String memory = mesh.memoryPath("builder") + "/";
    String pad = mesh.scratchpadPath() + "/";

    for (String base : List.of(memory, pad)) {
      assertThat(bad(agent, "PUT", base + "k".repeat(201), value("v"))).isEqualTo("'key' must be at most 200 characters");
      assertThat(bad(agent, "PUT", base + "bad%07key", value("v"))).isEqualTo("'key' must not contain control characters");
      assertThat(bad(agent, "PUT", base + "new%0Aline", value("v"))).isEqualTo("'key' must not contain control characters");
      assertThat(bad(agent, "PUT", base + "tab%09", value("v"))).isEqualTo("'key' must not contain control characters");
      assertThat(bad(agent, "PUT", base + "%20%20", value("v"))).isEqualTo("'key' must not be blank");
      assertThat(bad(agent, "GET", base + "bad%00key", null)).isEqualTo("'key' must not contain control characters");
      assertThat(bad(agent, "DELETE", base + "k".repeat(201), null)).isEqualTo("'key' must be at most 200 characters");
      assertThat(bad(agent, "PUT", base + "k", new JsonObject())).startsWith("'value' is required");
      assertThat(bad(agent, "PUT", base + "k", new JsonObject().putNull("value"))).startsWith("'value' is required");
      assertThat(bad(agent, "PUT", base + "k", new JsonObject().put("value", 42))).startsWith("'value' must be a string");
      assertThat(bad(agent, "PUT", base + "k", new JsonObject().put("value", new JsonObject().put("a", 1)))).startsWith("'value' must be a string");
      assertThat(bad(agent, "PUT", base + "k", value("nul\u0000"))).isEqualTo("'value' must not contain NUL characters");
      assertThat(bad(agent, "PUT", base + "k", "{\"value\":\"\\ud800\"}")).isEqualTo("'value' is not valid Unicode (it holds a lone surrogate)");
      assertThat(bad(agent, "PUT", base + "k", value("v").put("ttl", 5))).startsWith("unknown field 'ttl'");
      assertThat(bad(agent, "PUT", base + "k", "[\"v\"]")).contains("JSON object");
      assertThat(bad(agent, "PUT", base + "k", "{not json")).contains("not valid JSON");
    }
    assertThat(bad(agent, "PUT", memory + "k", value("v").put("expected_version", 0))).startsWith("unknown field 'expected_version'");

    String versionRule = "'expected_version' must be a whole number, 0 or more (0: the key must not exist yet)";
    for (Object version : List.of(-1, 1.5, "1", true, new JsonObject())) {
      assertThat(bad(agent, "PUT", pad + "k", value("v").put("expected_version", version))).isEqualTo(versionRule);
    }
    assertThat(bad(agent, "PUT", pad + "k", "{\"value\":\"v\",\"expected_version\":123456789012345678901234567890}")).isEqualTo(versionRule);
    for (String query : List.of("-1", "x", "1.5", "99999999999999999999")) {
      assertThat(bad(agent, "DELETE", pad + "k?expected_version=" + query, null)).isEqualTo(versionRule);
    }
    assertThat(bad(agent, "DELETE", pad + "k?expected_version=1&expected_version=2", null))
        .isEqualTo("'expected_version' must be given once");

    assertThat(memories(agent, mesh, "builder")).as("nothing remembered").isEmpty();
    assertThat(scratchpad(agent, mesh)).as("nothing written").isEmpty();
  }

  @Test
  @DisplayName("an empty value is a value")
  void emptyValue() {
    Mesh mesh = Mesh.fresh();
    ApiCaller agent = client.guest(mesh, "builder");
    assertThat(remember(agent, mesh, "builder", "empty", "").expect(200).getInteger("size")).isZero();
    assertThat(recall(agent, mesh, "builder", "empty").getString("value")).isEmpty();
  }

  private static String bad(ApiCaller caller, String method, String path, Object body) {
    ApiResponse response = caller.send(method, path, body);
    assertThat(response.status()).as(method + " " + path + ": " + response.body().encode()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("bad_request");
    return response.error();
  }
}
