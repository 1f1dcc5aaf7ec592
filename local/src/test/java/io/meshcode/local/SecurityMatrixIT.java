package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every key-protected operation of the public API, called through the gateway by every kind of
 * caller, against the real services: the exact status each must get. Each operation gets a fresh
 * world, and the owner calls last, so no caller's success can change what the next one sees. The
 * same matrix runs again with each key replaced by a dashboard session signed in with it.
 */
@DisplayName("The security matrix")
class SecurityMatrixIT {

  private static final List<String> CALLERS = List.of(
      "no key", "malformed key", "revoked key", "guest of another meshwork", "spectator", "guest", "owner");
  /** The callers whose key holds. */
  private static final List<String> LIVE = CALLERS.subList(3, CALLERS.size());

  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  /** The meshwork under test and a caller of every kind, made fresh for each operation. */
  private record World(String meshwork, String second, String third, Map<String, String> keys,
      String inviteId, String memberId, String linkId, String spareKeyId, String sessionId, String messageId, String taskId) {}

  /** With {@code sessions}, every key is replaced by a dashboard session signed in with it (the revoked one before its revocation). */
  private static World newWorld(boolean sessions) {
    String owner = mesh.newOwner("owner");
    String mw = "mw-" + Ids.newId().substring(24);
    String second = mw + "-b";
    String third = mw + "-c";
    for (String name : List.of(mw, second, third)) {
      mesh.expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", name));
    }
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/links", owner, new JsonObject().put("target", third));
    for (String agent : List.of("a1", "a2")) {
      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", agent).put("role", "dev"));
    }
    JsonObject guest = mesh.join(owner, mw, "a1", "Guest");
    JsonObject revoked = mesh.join(owner, mw, "a2", "Gone");
    String revokedSession = sessions ? mesh.dashboardSession(revoked.getString("key")) : null;
    mesh.expect(204, "DELETE", "/v1/meshworks/" + mw + "/members/" + revoked.getString("member_id"), owner, null);
    String inviteId = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/invites", owner, new JsonObject().put("agent", "a1")).getString("id");
    JsonObject spectator = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject());
    String spareKeyId = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject().put("label", "spare")).getString("id");
    String sessionId = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/a1/sessions", owner, new JsonObject())
        .getString("session_id");
    String messageId = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/a1/messages", owner,
        new JsonObject().put("to", "a2").put("text", "hello")).getString("id");
    String taskId = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/tasks", owner, new JsonObject().put("title", "Parser")).getString("id");

    String otherOwner = mesh.newOwner("other");
    String otherMw = "ow-" + Ids.newId().substring(24);
    mesh.expect(201, "POST", "/v1/meshworks", otherOwner, new JsonObject().put("name", otherMw));
    mesh.expect(201, "POST", "/v1/meshworks/" + otherMw + "/agents", otherOwner, new JsonObject().put("name", "x"));
    JsonObject otherGuest = mesh.join(otherOwner, otherMw, "x", "Stranger");

    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("no key", null);
    keys.put("malformed key", "mc_sk_not-a-key");
    keys.put("revoked key", revoked.getString("key"));
    keys.put("guest of another meshwork", otherGuest.getString("key"));
    keys.put("spectator", spectator.getString("token"));
    keys.put("guest", guest.getString("key"));
    keys.put("owner", owner);
    if (sessions) {
      keys.replaceAll((caller, key) -> switch (caller) {
        case "no key" -> null;
        case "malformed key" -> "mc_ds_not-a-session";
        case "revoked key" -> revokedSession;
        default -> mesh.dashboardSession(key);
      });
    }
    return new World(mw, second, third, keys, inviteId, guest.getString("member_id"), spectator.getString("id"), spareKeyId, sessionId, messageId, taskId);
  }

  /**
   * One operation: how to call it in a world, and the status for guest, foreign guest, spectator
   * and owner; {@code session}, if not null, is what every live dashboard session gets instead.
   */
  private record Row(String method, Function<World, String> path, JsonObject body,
      int guest, int foreignGuest, int spectator, int owner, Integer session) {

    Row sessions(int status) {
      return new Row(method, path, body, guest, foreignGuest, spectator, owner, status);
    }

    int expected(String caller, boolean sessions) {
      if (sessions && session != null && LIVE.contains(caller)) {
        return session;
      }
      return switch (caller) {
        case "guest" -> guest;
        case "guest of another meshwork" -> foreignGuest;
        case "spectator" -> spectator;
        case "owner" -> owner;
        default -> 401;
      };
    }
  }

  private static Row row(String method, Function<World, String> path, JsonObject body, int guest, int foreign, int spectator, int owner) {
    return new Row(method, path, body, guest, foreign, spectator, owner, null);
  }

  private static final String MW = "/v1/meshworks/";

  private static List<Row> rows() {
    return List.of(
        row("GET", w -> "/v1/me", null, 200, 200, 200, 200),
        row("POST", w -> "/v1/tickets", new JsonObject(), 201, 201, 201, 201).sessions(403),
        row("DELETE", w -> "/v1/sessions/current", null, 403, 403, 403, 403).sessions(204),
        row("POST", w -> "/v1/accounts", new JsonObject().put("name", "x"), 403, 403, 403, 403),
        row("GET", w -> "/v1/keys", null, 403, 403, 403, 200),
        row("POST", w -> "/v1/keys", new JsonObject(), 403, 403, 403, 201).sessions(403),
        row("DELETE", w -> "/v1/keys/" + w.spareKeyId(), null, 403, 403, 403, 204),
        row("GET", w -> "/v1/meshworks", null, 200, 200, 200, 200),
        row("POST", w -> "/v1/meshworks", new JsonObject().put("name", "fresh-" + Ids.newId().substring(24)), 403, 403, 403, 201),
        row("GET", w -> MW + w.meshwork(), null, 200, 404, 200, 200),
        row("DELETE", w -> MW + w.meshwork(), null, 403, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/agents", null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/agents", new JsonObject().put("name", "a3"), 403, 404, 403, 201),
        row("GET", w -> MW + w.meshwork() + "/agents/a1", null, 200, 404, 200, 200),
        row("PATCH", w -> MW + w.meshwork() + "/agents/a1", new JsonObject().put("role", "lead"), 403, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/agents/a2", null, 403, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/invites", null, 403, 404, 403, 200),
        row("POST", w -> MW + w.meshwork() + "/invites", new JsonObject().put("agent", "a1"), 403, 404, 403, 201),
        row("DELETE", w -> MW + w.meshwork() + "/invites/" + w.inviteId(), null, 403, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/members", null, 403, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/members/" + w.memberId(), null, 403, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/spectator-links", null, 403, 404, 403, 200),
        row("POST", w -> MW + w.meshwork() + "/spectator-links", new JsonObject(), 403, 404, 403, 201),
        row("DELETE", w -> MW + w.meshwork() + "/spectator-links/" + w.linkId(), null, 403, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/links", null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/links", new JsonObject().put("target", "SECOND"), 403, 404, 403, 201),
        row("DELETE", w -> MW + w.meshwork() + "/links/" + w.third(), null, 403, 404, 403, 204),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/sessions", new JsonObject().put("take_over", true), 201, 404, 403, 201),
        row("POST", w -> MW + w.meshwork() + "/agents/a2/sessions", new JsonObject().put("take_over", true), 404, 404, 403, 201),
        row("PUT", w -> MW + w.meshwork() + "/agents/a1/sessions/" + w.sessionId(), new JsonObject().put("busy", true), 200, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/agents/a1/sessions/" + w.sessionId(), null, 204, 404, 403, 204),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/activity", new JsonObject(), 204, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/presence", null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/messages", new JsonObject().put("to", "a2").put("text", "hi"), 201, 404, 403, 201),
        row("POST", w -> MW + w.meshwork() + "/agents/a2/messages", new JsonObject().put("to", "a1").put("text", "hi"), 404, 404, 403, 201),
        row("GET", w -> MW + w.meshwork() + "/messages/" + w.messageId(), null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/messages", new JsonObject().put("to", "a1").put("text", "from the person"), 403, 404, 403, 201),
        row("GET", w -> MW + w.meshwork() + "/agents/a1/wait?timeout=0", null, 200, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/agents/a2/wait?timeout=0", null, 404, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/agents/a2/inbox", null, 404, 404, 200, 200),
        row("GET", w -> MW + w.meshwork() + "/log?limit=5", null, 200, 404, 200, 200),
        row("PUT", w -> MW + w.meshwork() + "/agents/a1/memory/style", new JsonObject().put("value", "tabs"), 200, 404, 403, 200),
        row("PUT", w -> MW + w.meshwork() + "/agents/a2/memory/style", new JsonObject().put("value", "tabs"), 404, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/agents/a1/memory", null, 200, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/memory", null, 200, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/agents/a2/memory/style", null, 404, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/agents/a1/memory/style", null, 200, 404, 403, 200),
        row("PUT", w -> MW + w.meshwork() + "/scratchpad/plan", new JsonObject().put("value", "v1"), 201, 404, 403, 200), // the guest made it
        row("GET", w -> MW + w.meshwork() + "/scratchpad", null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/tasks", new JsonObject().put("title", "Lexer"), 201, 404, 403, 201),
        row("GET", w -> MW + w.meshwork() + "/tasks", null, 200, 404, 200, 200),
        row("GET", w -> MW + w.meshwork() + "/tasks/" + w.taskId(), null, 200, 404, 200, 200),
        row("PATCH", w -> MW + w.meshwork() + "/tasks/" + w.taskId(), new JsonObject().put("progress", 10), 200, 404, 403, 200),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/tasks", new JsonObject().put("title", "Lexer"), 201, 404, 403, 201),
        row("POST", w -> MW + w.meshwork() + "/agents/a2/tasks", new JsonObject().put("title", "Lexer"), 404, 404, 403, 201),
        row("PATCH", w -> MW + w.meshwork() + "/agents/a1/tasks/" + w.taskId(), new JsonObject().put("progress", 10), 200, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/agents/a1/tasks/" + w.taskId(), null, 204, 404, 403, 404), // the guest deleted it
        row("POST", w -> MW + w.meshwork() + "/agents/a1/tasks/" + w.taskId() + "/claim", new JsonObject(), 200, 404, 403, 200),
        row("POST", w -> MW + w.meshwork() + "/agents/a2/tasks/" + w.taskId() + "/claim", new JsonObject(), 404, 404, 403, 200),
        row("DELETE", w -> MW + w.meshwork() + "/tasks/" + w.taskId(), null, 204, 404, 403, 404), // the guest deleted it
        row("POST", w -> MW + w.meshwork() + "/agents/a1/reservations",
            new JsonObject().put("paths", new io.vertx.core.json.JsonArray().add("src/a.java")).put("reason", "editing"), 201, 404, 403, 201),
        row("GET", w -> MW + w.meshwork() + "/reservations", null, 200, 404, 200, 200),
        row("DELETE", w -> MW + w.meshwork() + "/agents/a1/reservations", null, 200, 404, 403, 200),
        row("GET", w -> MW + w.meshwork() + "/scratchpad/plan", null, 200, 404, 200, 200),
        row("DELETE", w -> MW + w.meshwork() + "/scratchpad/plan", null, 200, 404, 403, 200),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/activity", new JsonObject().put("tool", "meshcode_send").put("result", "ok"), 204, 404, 403, 204),
        row("GET", w -> MW + w.meshwork() + "/agents/a1/inbox/count", null, 200, 404, 200, 200),
        row("POST", w -> MW + w.meshwork() + "/agents/a1/ack", new JsonObject().put("cursor", "0." + "x".repeat(10)), 400, 404, 403, 400));
  }

  @Test
  @DisplayName("every operation answers every kind of caller with exactly the status its scope allows")
  void matrix() {
    check(false);
  }

  @Test
  @DisplayName("a dashboard session gets exactly what its key gets, but cannot mint tickets, keys or accounts, and alone signs out")
  void sessionMatrix() {
    check(true);
  }

  private static void check(boolean sessions) {
    List<String> mismatches = new ArrayList<>();
    int calls = 0;
    for (Row row : rows()) {
      World world = newWorld(sessions);
      String path = row.path().apply(world);
      JsonObject body = row.body() == null ? null : new JsonObject(row.body().encode().replace("SECOND", world.second()));
      for (String caller : CALLERS) {
        HttpResponse<String> response = mesh.call(row.method(), path, world.keys().get(caller), body);
        calls++;
        int expected = row.expected(caller, sessions);
        if (response.statusCode() != expected) {
          mismatches.add(String.format("%-6s %-40s %-26s expected %d, got %d: %s", row.method(),
              path.replace(world.meshwork(), "{mw}"), caller, expected, response.statusCode(), response.body()));
        }
      }
    }
    assertThat(mismatches).as("of " + calls + " calls").isEmpty();
  }

  @Test
  @DisplayName("has a row for every operation of the API document that takes a key")
  void coversEveryOperation() {
    World world = newWorld(false);
    List<String> called = rows().stream().map(row -> row.method() + " " + row.path().apply(world).split("\\?")[0]).toList();
    List<String> missing = keyedOperations(mesh.call("GET", "/openapi.yaml", null, null).body()).stream()
        .filter(operation -> called.stream().noneMatch(call -> call.matches(operation.replaceAll("\\{[^}]+}", "[^/]+"))))
        .toList();
    assertThat(missing).as("operations with no row").isEmpty();
  }

  /** "METHOD /path/{param}" of each operation in the document, except those that take no key ({@code security: []}). */
  private static List<String> keyedOperations(String document) {
    List<String> operations = new ArrayList<>();
    String path = null;
    String operation = null;
    for (String line : document.split("\n")) {
      if (line.startsWith("  /") && line.endsWith(":")) {
        path = line.substring(2, line.length() - 1);
      } else if (path != null && line.matches("    (get|post|put|patch|delete):")) {
        operation = line.trim().replace(":", "").toUpperCase() + " " + path;
        operations.add(operation);
      } else if (operation != null && line.equals("      security: []")) {
        operations.remove(operation);
      } else if (!line.startsWith(" ")) {
        path = null;
      }
    }
    assertThat(operations).as("operations read from the document").hasSizeGreaterThan(50);
    return operations;
  }

  @Test
  @DisplayName("a guest of another meshwork does not even see this one listed")
  void foreignGuestSeesOnlyItsOwn() {
    World world = newWorld(false);
    String listed = mesh.call("GET", "/v1/meshworks", world.keys().get("guest of another meshwork"), null).body();
    assertThat(listed).doesNotContain(world.meshwork());
    assertThat(new JsonObject(listed).getJsonArray("meshworks")).hasSize(1);
  }
}
