package io.meshcode.mcp;

import static io.meshcode.mcp.JavaClientIT.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Memory, the scratchpad, the task board and file reservations through the MCP tools, on a real mesh. */
@DisplayName("The shared-state tools")
class SharedStateToolsIT {

  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private static String meshwork(String owner, String prefix) {
    Map<String, String> agents = new LinkedHashMap<>();
    agents.put("backend", "API developer");
    agents.put("frontend", "UI");
    return mesh.meshwork(owner, prefix, agents);
  }

  @Test
  @DisplayName("an agent remembers, recalls and forgets; the owner edits its memory; the next start briefs it")
  void memory() {
    String owner = mesh.newOwner();
    String mw = meshwork(owner, "mem");
    String guest = mesh.guestKey(owner, mw, "backend");
    try (McpAgent backend = McpAgent.start(mesh, guest, mw, "backend");
         McpAgent admin = McpAgent.start(mesh, owner, mw, "frontend")) {
      JsonNode stored = backend.ok("meshcode_remember", Map.of("key", "db/schema", "value", "orders has a status column"));
      assertThat(stored.path("key").asString()).isEqualTo("db/schema");
      assertThat(stored.path("created").asBoolean()).isTrue();
      backend.ok("meshcode_remember", Map.of("key", "ports", "value", Map.of("api", 8080)));

      JsonNode one = backend.ok("meshcode_recall", Map.of("key", "db/schema"));
      assertThat(one.path("found").asBoolean()).isTrue();
      assertThat(one.path("value").asString()).isEqualTo("orders has a status column");
      assertThat(backend.ok("meshcode_recall", Map.of("key", "ports")).path("value").asString()).isEqualTo("{\"api\":8080}");
      assertThat(backend.ok("meshcode_recall", Map.of("key", "nothing")).path("found").asBoolean()).isFalse();

      admin.ok("meshcode_edit_memory", Map.of("agent_name", "backend", "key", "style", "value", "small commits"));
      List<String> keys = new ArrayList<>();
      backend.ok("meshcode_recall", Map.of()).path("memories").forEach(m -> keys.add(m.path("key").asString()));
      assertThat(keys).containsExactly("db/schema", "ports", "style");

      assertThat(backend.ok("meshcode_forget", Map.of("key", "ports")).path("forgotten").asBoolean()).isTrue();
      expectError(backend.call("meshcode_remember", Map.of("key", "..", "value", "x")), "invalid_arguments", "'key' cannot be '.' or '..'");
      expectError(backend.call("meshcode_remember", Map.of("key", "k")), "invalid_arguments", "'value' is required");
      McpAgent.Reply notOwner = backend.call("meshcode_edit_memory", Map.of("agent_name", "frontend", "key", "k", "value", "v"));
      assertThat(notOwner.isError()).isTrue();
    }
    try (McpAgent again = McpAgent.start(mesh, guest, mw, "backend")) {
      assertThat(again.instructions()).contains("Your memories:\n- db/schema: orders has a status column\n- style: small commits");
    }
  }

  @Test
  @DisplayName("agents share the scratchpad")
  void scratchpad() {
    String owner = mesh.newOwner();
    String mw = meshwork(owner, "pad");
    // Whatever the key, the entry names the agent that wrote it: the MCP server says which agent it
    // is (Meshcode-Agent), and the gateway vouches for it on an owner's key.
    try (McpAgent backend = McpAgent.start(mesh, mesh.guestKey(owner, mw, "backend"), mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      backend.ok("meshcode_scratchpad_set", Map.of("key", "api-version", "value", "v2"));
      JsonNode entry = frontend.ok("meshcode_scratchpad_get", Map.of("key", "api-version"));
      assertThat(entry.path("value").asString()).isEqualTo("v2");
      assertThat(entry.path("updated_by").asString()).isEqualTo("backend");
      assertThat(frontend.ok("meshcode_scratchpad_set", Map.of("key", "release", "value", "friday")).path("updated_by").asString())
          .isEqualTo("frontend");
      assertThat(frontend.ok("meshcode_remember", Map.of("key", "plan", "value", "ship")).path("updated_by").asString())
          .as("its own memory, on the owner's key").isEqualTo("frontend");
      assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/agents/frontend/memory/plan", owner, null)
          .path("updated_by").asString()).isEqualTo("frontend");
      mesh.expect(200, "PUT", "/v1/meshworks/" + mw + "/agents/frontend/memory/plan", owner, Json.object().put("value", "hold"));
      assertThat(frontend.ok("meshcode_recall", Map.of("key", "plan")).path("updated_by").asString())
          .as("the owner's own edit, outside any window").isEqualTo("owner");
      List<String> keys = new ArrayList<>();
      backend.ok("meshcode_scratchpad_get", Map.of()).path("entries").forEach(e -> keys.add(e.path("key").asString()));
      assertThat(keys).containsExactly("api-version", "release");
    }
  }

  @Test
  @DisplayName("agents create, list, claim and update tasks; status shows each agent's current task")
  void tasks() {
    String owner = mesh.newOwner();
    String mw = meshwork(owner, "board");
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      JsonNode created = backend.ok("meshcode_task_create", Map.of(
          "title", "Add the orders endpoint", "description", "GET /orders", "priority", "high"));
      String id = created.path("task").path("id").asString();
      assertThat(created.path("task").path("created_by").asString()).isEqualTo("backend");
      assertThat(created.path("task").path("status").asString()).isEqualTo("todo");

      JsonNode claimed = backend.ok("meshcode_task_claim", Map.of("id", id));
      assertThat(claimed.path("task").path("assignee").asString()).isEqualTo("backend");
      assertThat(claimed.path("task").path("status").asString()).isEqualTo("in_progress");
      McpAgent.Reply taken = frontend.call("meshcode_task_claim", Map.of("id", id));
      assertThat(taken.isError()).isTrue();
      assertThat(taken.json().path("error").path("code").asString()).isEqualTo("claimed");
      assertThat(taken.json().path("error").path("holder").asString()).isEqualTo("backend");

      JsonNode updated = backend.ok("meshcode_task_update", Map.of("id", id, "progress", 60, "note", "half done"));
      assertThat(updated.path("task").path("progress").asInt()).isEqualTo(60);
      expectError(backend.call("meshcode_task_update", Map.of("id", id)), "invalid_arguments",
          "nothing to update: give status, progress, assignee or note");

      JsonNode row = JavaClientIT.find(frontend.ok("meshcode_status", Map.of()).path("agents"), "backend");
      assertThat(row.path("current_task").path("id").asString()).isEqualTo(id);
      assertThat(row.path("current_task").path("title").asString()).isEqualTo("Add the orders endpoint");

      frontend.ok("meshcode_task_create", Map.of("title", "Orders page", "assignee", "frontend"));
      backend.ok("meshcode_task_create", Map.of("title", "Style the orders page", "assignee", "frontend"));
      JsonNode notice = frontend.ok("meshcode_wait", Map.of("timeout_seconds", 10)).path("messages").get(0);
      assertThat(notice.path("kind").asString()).isEqualTo("event");
      assertThat(notice.path("text").asString()).contains("Style the orders page");

      assertThat(frontend.ok("meshcode_tasks", Map.of("assignee", "frontend")).path("tasks")).hasSize(2);
      assertThat(frontend.ok("meshcode_tasks", Map.of("status", "in_progress")).path("tasks")).hasSize(1);
      backend.ok("meshcode_task_update", Map.of("id", id, "status", "done"));
      assertThat(frontend.ok("meshcode_tasks", Map.of()).path("tasks")).hasSize(3);
      expectError(frontend.call("meshcode_tasks", Map.of("status", "finished")), "invalid_arguments",
          "'status' must be one of todo, in_progress, blocked, review, done, cancelled");
    }
    try (McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      assertThat(frontend.instructions()).contains("Your open tasks:").contains("Orders page (todo)").contains("Style the orders page (todo)");
    }
  }

  @Test
  @DisplayName("agents reserve files; an overlapping reservation names its holder; release frees them")
  void reservations() {
    String owner = mesh.newOwner();
    String mw = meshwork(owner, "files");
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      JsonNode reserved = backend.ok("meshcode_reserve", Map.of("paths", List.of("src/api/**", "README.md"), "reason", "orders API", "ttl_seconds", 600));
      assertThat(reserved.path("reservations")).hasSize(2);

      McpAgent.Reply refused = frontend.call("meshcode_reserve", Map.of("paths", "src/api/Orders.java", "reason", "fix a typo"));
      assertThat(refused.isError()).isTrue();
      assertThat(refused.json().path("error").path("code").asString()).isEqualTo("reserved");
      assertThat(refused.json().path("error").path("message").asString()).contains("'backend'");
      assertThat(refused.json().path("error").path("conflicts").get(0).path("holder").asString()).isEqualTo("backend");

      JsonNode released = backend.ok("meshcode_release", Map.of("paths", List.of("src/api/**")));
      assertThat(released.path("released")).hasSize(1);
      frontend.ok("meshcode_reserve", Map.of("paths", "src/api/Orders.java", "reason", "fix a typo"));
      backend.ok("meshcode_release", Map.of());
      expectError(backend.call("meshcode_reserve", Map.of("paths", "a", "reason", "x", "ttl_seconds", 5)), "invalid_arguments",
          "'ttl_seconds' must be a whole number from 10 to 86400");
    }
  }
}
