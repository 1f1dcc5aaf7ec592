package io.meshcode.mcp;

import static io.meshcode.mcp.JavaClientIT.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Which window acts for an agent, on a real mesh (also run against two replicas of every service):
 * a window taken over is refused on its very next call, a revoked member's window ends at once,
 * and a server that can never serve its agent says why in {@code initialize}.
 */
@DisplayName("Windows of an agent: take-over, revocation, and agents a server cannot serve")
class WindowsIT {

  private static final String TAKEN_OVER = "this agent was taken over by another window";

  private static final TestMesh mesh = TestMesh.get();

  @Test
  @DisplayName("after a take-over the old window's very next send and wait are refused: two windows never both act")
  void takenOverWindowRefusedAtOnce() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "take", JavaClientIT.team());
    try (McpAgent old = McpAgent.start(mesh, owner, mw, "backend")) {
      old.ok("meshcode_send", Map.of("to", "frontend", "message", "from the old window"));

      // What --take-over does, made here so the old window's next call comes before any heartbeat of its own.
      JsonNode taken = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/backend/sessions", owner,
          Json.object().put("take_over", true).put("client", "new-window"));
      assertThat(taken.path("took_over").asBoolean()).isTrue();
      expectError(old.call("meshcode_send", Map.of("to", "frontend", "message", "after the take-over")), "taken_over", TAKEN_OVER);
      expectError(old.call("meshcode_wait", Map.of("timeout_seconds", 5)), "taken_over", TAKEN_OVER);
      expectError(old.call("meshcode_done", Map.of("summary", "still here")), "taken_over", TAKEN_OVER);

      JsonNode inbox = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/agents/frontend/inbox", owner, null);
      assertThat(JavaClientIT.texts(inbox)).as("only what the old window sent while it held the agent")
          .containsExactly("from the old window");
      // The new window's session carries on.
      String session = taken.path("session_id").asString();
      mesh.expect(200, "PUT", "/v1/meshworks/" + mw + "/agents/backend/sessions/" + session, owner, Json.object());
    }
  }

  @Test
  @DisplayName("after a take-over the old window's very next memory, scratchpad or task call is refused and writes nothing")
  void takenOverWindowWritesNothing() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "take-state", JavaClientIT.team());
    Map<String, String> tools = Map.of("backend", "meshcode_remember", "frontend", "meshcode_scratchpad_set", "qa", "meshcode_task_create");
    Map<String, Map<String, Object>> arguments = Map.of(
        "meshcode_remember", Map.of("key", "plan", "value", "from the old window"),
        "meshcode_scratchpad_set", Map.of("key", "plan", "value", "from the old window"),
        "meshcode_task_create", Map.of("title", "from the old window"));
    // The qa window runs on a guest's key, the others on the owner's (which names its agent in Meshcode-Agent).
    String guest = mesh.guestKey(owner, mw, "qa");
    tools.forEach((agent, tool) -> {
      try (McpAgent old = McpAgent.start(mesh, "qa".equals(agent) ? guest : owner, mw, agent)) {
        old.ok("meshcode_status", Map.of());
        mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/" + agent + "/sessions", owner,
            Json.object().put("take_over", true).put("client", "new-window"));
        expectError(old.call(tool, arguments.get(tool)), "taken_over", TAKEN_OVER);
      }
    });
    assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/agents/backend/memory/plan", owner, null).path("found").asBoolean()).isFalse();
    assertThat(mesh.call("GET", "/v1/meshworks/" + mw + "/scratchpad/plan", owner, null).body()).doesNotContain("from the old window");
    assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/tasks", owner, null).path("tasks").size()).isZero();
  }

  @Test
  @DisplayName("revoking a member ends its window's session at once: offline on the next board read")
  void revokedMemberOffline() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "revoke", JavaClientIT.team());
    String guest = mesh.guestKey(owner, mw, "frontend");
    try (McpAgent frontend = McpAgent.start(mesh, guest, mw, "frontend")) {
      frontend.ok("meshcode_status", Map.of());
      assertThat(mesh.status(owner, mw, "frontend")).isIn("online", "working");
      String member = null;
      for (JsonNode each : mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/members", owner, null).path("members")) {
        if ("frontend".equals(each.path("agent").asString())) {
          member = each.path("id").asString();
        }
      }
      mesh.expect(204, "DELETE", "/v1/meshworks/" + mw + "/members/" + member, owner, null);
      assertThat(mesh.status(owner, mw, "frontend")).isEqualTo("offline");
      // The replay log is written from Kafka, a moment later.
      Eventually.within(Duration.ofSeconds(15), () -> {
        JsonNode log = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/log?agent=frontend", owner, null);
        boolean ended = false;
        for (JsonNode entry : log.path("entries")) {
          ended |= "session.closed".equals(entry.path("type").asString()) && "revoked".equals(entry.path("payload").path("reason").asString());
        }
        assertThat(ended).as(log.toString()).isTrue();
      });
    }
  }

  @Test
  @DisplayName("a server for an unknown agent or project, another agent than its guest key's, or with a revoked key, fails initialize saying what is wrong")
  void cannotServe() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "ghost", JavaClientIT.team());
    assertThat(McpAgent.refusal(mesh, owner, mw, "backnd"))
        .contains("agent 'backnd' not found in project '" + mw + "'. Did you mean: backend?")
        .contains("meshcode go backnd --project " + mw)
        .doesNotContain("another window");
    assertThat(McpAgent.refusal(mesh, owner, mw, "ghost"))
        .contains("agent 'ghost' not found in project '" + mw + "'. Its agents: backend, frontend, qa.");
    assertThat(McpAgent.refusal(mesh, owner, mw + "x", "backend"))
        .contains("project '" + mw + "x' not found. Did you mean: " + mw + "?");

    String guest = mesh.guestKey(owner, mw, "backend");
    assertThat(McpAgent.refusal(mesh, guest, mw, "frontend"))
        .contains("this key cannot act as agent 'frontend' of project '" + mw + "': a guest key acts only as the agent it was invited to");
    for (JsonNode each : mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/members", owner, null).path("members")) {
      if ("backend".equals(each.path("agent").asString())) {
        mesh.expect(204, "DELETE", "/v1/meshworks/" + mw + "/members/" + each.path("id").asString(), owner, null);
      }
    }
    assertThat(McpAgent.refusal(mesh, guest, mw, "backend"))
        .contains("refused the API key: it is unknown or revoked. Run meshcode login")
        .doesNotContain("another window");
  }
}
