package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The MCP server as an editor runs it, driven over stdio by the official Java SDK client, on a real mesh. */
@DisplayName("The MCP server driven by the Java SDK client")
class JavaClientIT {

  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  /** backend, frontend and qa: the team the end-to-end suites start from. */
  static Map<String, String> team() {
    Map<String, String> agents = new LinkedHashMap<>();
    agents.put("backend", "API developer");
    agents.put("frontend", "UI");
    agents.put("qa", "tests");
    return agents;
  }

  @Test
  @DisplayName("lists exactly the meshcode tools, with their argument names")
  void listsTools() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "tools", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend")) {
      Map<String, List<String>> listed = new LinkedHashMap<>();
      for (McpSchema.Tool tool : backend.tools()) {
        JsonNode schema = Json.tree(tool.inputSchema());
        List<String> arguments = new ArrayList<>();
        schema.path("properties").properties().forEach(property -> arguments.add(property.getKey()));
        listed.put(tool.name(), arguments);
      }
      assertThat(listed).containsExactlyEntriesOf(ToolCatalogTest.EXPECTED);
    }
  }

  @Test
  @DisplayName("tells the agent its name, role, launch prompt and who is online, and to enter the wait loop")
  void instructions() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "brief", team());
    mesh.expect(200, "PATCH", "/v1/meshworks/" + mw + "/agents/backend", owner,
        Json.object().put("launch_prompt", "Build the orders API; ask frontend before changing a response."));
    try (McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend");
         McpAgent backend = McpAgent.start(mesh, owner, mw, "backend")) {
      assertThat(frontend.instructions()).contains("You are agent \"frontend\"");
      String instructions = backend.instructions();
      assertThat(instructions)
          .contains("You are agent \"backend\" of the MeshCode meshwork \"" + mw + "\". Role: API developer.")
          .contains("Build the orders API; ask frontend before changing a response.")
          .containsPattern("Online: frontend \\(UI\\) (online|working|waiting|idle)")
          .contains("Offline: qa (tests)")
          .contains("call meshcode_wait")
          .contains("meshcode_done");
      assertThat(instructions.length()).isLessThan(2000);
    }
  }

  @Test
  @DisplayName("two agents exchange a request and its reply through the mesh")
  void requestAndReply() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "chat", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      JsonNode sent = backend.ok("meshcode_send", Map.of(
          "to", "frontend", "message", "please review the orders API", "kind", "request", "data", Map.of("pr", 12)));
      assertThat(sent.path("id").asString()).isNotBlank();
      JsonNode recipient = sent.path("recipients").get(0);
      assertThat(recipient.path("agent").asString()).isEqualTo("frontend");
      assertThat(recipient.path("state").asString()).isEqualTo("queued");
      assertThat(recipient.path("status").asString()).isIn("online", "working", "waiting", "idle");

      JsonNode waited = frontend.ok("meshcode_wait", Map.of("timeout_seconds", 10));
      assertThat(waited.path("messages")).hasSize(1);
      JsonNode request = waited.path("messages").get(0);
      assertThat(request.path("id").asString()).isEqualTo(sent.path("id").asString());
      assertThat(request.path("from").asString()).isEqualTo("backend");
      assertThat(request.path("kind").asString()).isEqualTo("request");
      assertThat(request.path("text").asString()).isEqualTo("please review the orders API");
      assertThat(request.path("data").path("pr").asInt()).isEqualTo(12);
      assertThat(waited.path("cursor").asString()).isNotBlank();
      assertThat(waited.path("more").asBoolean()).isFalse();

      JsonNode done = frontend.ok("meshcode_done", Map.of("summary", "reviewed: looks good", "reply_to", request.path("id").asString()));
      assertThat(done.path("acked").asInt()).isEqualTo(1);
      assertThat(done.path("reply").path("recipients").get(0).path("agent").asString()).isEqualTo("backend");

      JsonNode reply = backend.ok("meshcode_wait", Map.of("timeout_seconds", 10)).path("messages").get(0);
      assertThat(reply.path("from").asString()).isEqualTo("frontend");
      assertThat(reply.path("kind").asString()).isEqualTo("reply");
      assertThat(reply.path("reply_to").asString()).isEqualTo(request.path("id").asString());
      // A reply joins the thread of the message it answers (the bus starts one on the request's id).
      assertThat(reply.path("thread_id").asString()).isIn(request.path("thread_id").asString(), request.path("id").asString());
      assertThat(reply.path("text").asString()).isEqualTo("reviewed: looks good");
      backend.ok("meshcode_done", Map.of("summary", "review received"));

      JsonNode states = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/messages/" + request.path("id").asString(), owner, null);
      assertThat(states.path("recipients").get(0).path("state").asString()).isEqualTo("read");
    }
  }

  @Test
  @DisplayName("never hands over a message twice; done acknowledges everything the waits returned")
  void noRepeats() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "norepeat", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      backend.ok("meshcode_send", Map.of("to", "frontend", "message", "one"));
      assertThat(texts(frontend.ok("meshcode_wait", Map.of("timeout_seconds", 10)))).containsExactly("one");
      backend.ok("meshcode_send", Map.of("to", List.of("frontend"), "message", "two"));
      assertThat(texts(frontend.ok("meshcode_wait", Map.of("timeout_seconds", 10)))).containsExactly("two");

      assertThat(texts(frontend.ok("meshcode_inbox", Map.of()))).containsExactly("one", "two");
      assertThat(frontend.ok("meshcode_done", Map.of("summary", "handled one and two")).path("acked").asInt()).isEqualTo(2);
      assertThat(texts(frontend.ok("meshcode_inbox", Map.of("limit", 10)))).isEmpty();
      JsonNode empty = frontend.ok("meshcode_wait", Map.of("timeout_seconds", 1));
      assertThat(empty.path("messages")).isEmpty();
      assertThat(frontend.ok("meshcode_done", Map.of("summary", "nothing new")).path("acked").asInt()).isZero();
    }
  }

  @Test
  @DisplayName("a parked wait shows the agent waiting and sends progress; messages make it working")
  void presenceFollowsTheWaitLoop() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "presence", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent frontend = McpAgent.start(mesh, owner, mw, "frontend")) {
      assertThat(mesh.status(owner, mw, "frontend")).as("just started, before any tool call").isEqualTo("online");
      CompletableFuture<McpAgent.Reply> parked = CompletableFuture.supplyAsync(() ->
          frontend.call("meshcode_wait", Map.of("timeout_seconds", 30), Map.of("progressToken", "wait-1")));
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(mesh.status(owner, mw, "frontend")).isEqualTo("waiting"));
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(frontend.progress()).hasSizeGreaterThanOrEqualTo(2));
      List<McpSchema.ProgressNotification> progress = frontend.progress();
      assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("wait-1"));
      assertThat(progress.get(1).progress()).isGreaterThan(progress.get(0).progress());
      assertThat(progress.get(0).total()).isEqualTo(30.0);

      backend.ok("meshcode_send", Map.of("to", "frontend", "message", "wake up"));
      McpAgent.Reply reply = parked.get(20, TimeUnit.SECONDS);
      assertThat(texts(reply.json())).containsExactly("wake up");
      assertThat(mesh.status(owner, mw, "frontend")).isEqualTo("working");
      JsonNode status = backend.ok("meshcode_status", Map.of());
      assertThat(status.path("you").asString()).isEqualTo("backend");
      JsonNode row = find(status.path("agents"), "frontend");
      assertThat(row.path("role").asString()).isEqualTo("UI");
      assertThat(row.path("status").asString()).isEqualTo("working");
      assertThat(row.path("last_seen").asString()).isNotBlank();
      assertThat(row.has("current_task")).isTrue();
      assertThat(find(status.path("agents"), "qa").path("status").asString()).isEqualTo("offline");
    }
  }

  @Test
  @DisplayName("heartbeats keep the session beyond its lease while the agent calls no tool")
  void heartbeatsKeepTheLease() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "lease", team());
    try (McpAgent qa = McpAgent.start(mesh, owner, mw, "qa")) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(TestMesh.LEASE_SECONDS + 3));
      // Still live: online, or working once a heartbeat found the editor (this test's JVM) busy.
      assertThat(mesh.status(owner, mw, "qa")).isIn("online", "working");
      assertThat(qa.stderr()).contains("open for agent qa").doesNotContain("session ended");
    }
  }

  @Test
  @DisplayName("a broadcast reaches every other agent")
  void broadcast() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "all", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend");
         McpAgent qa = McpAgent.start(mesh, owner, mw, "qa")) {
      JsonNode sent = backend.ok("meshcode_broadcast", Map.of("message", "deploying at 5", "data", List.of("api", "web")));
      List<String> recipients = new ArrayList<>();
      sent.path("recipients").forEach(r -> recipients.add(r.path("agent").asString()));
      assertThat(recipients).containsExactlyInAnyOrder("frontend", "qa");
      JsonNode message = qa.ok("meshcode_wait", Map.of("timeout_seconds", 10)).path("messages").get(0);
      assertThat(message.path("text").asString()).isEqualTo("deploying at 5");
      assertThat(message.path("to").asString()).isEqualTo("*");
      assertThat(message.path("data").get(1).asString()).isEqualTo("web");
    }
  }

  @Test
  @DisplayName("bad arguments come back as isError with the validation message")
  void badArguments() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "bad", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend")) {
      expectError(backend.call("meshcode_send", Map.of("message", "hi")), "invalid_arguments", "'to' is required");
      expectError(backend.call("meshcode_send", Map.of("to", "frontend", "text", "hi")), "invalid_arguments",
          "unknown argument 'text': meshcode_send takes to, message, data, thread_id, reply_to, kind");
      expectError(backend.call("meshcode_wait", Map.of("timeout_seconds", 99)), "invalid_arguments",
          "'timeout_seconds' must be a whole number from 0 to 50");
      expectError(backend.call("meshcode_send", Map.of("to", "frontend", "message", "hi", "kind", "shout")), "invalid_arguments",
          "'kind' must be one of message, request, reply, event");
      expectError(backend.call("meshcode_done", Map.of("summary", "x", "reply_to", "0190a0a0-0000-7000-8000-000000000000")),
          "invalid_arguments", "'reply_to': no message 0190a0a0-0000-7000-8000-000000000000 among those you received");
      McpAgent.Reply unknown = backend.call("meshcode_send", Map.of("to", "nobody", "message", "hi"));
      assertThat(unknown.isError()).isTrue();
      assertThat(unknown.json().path("error").path("code").asString()).isEqualTo("unknown_recipient");
      assertThat(unknown.json().path("error").path("message").asString()).contains("nobody");
    }
  }

  @Test
  @DisplayName("a second window for the agent gets 'agent already running in another window' from every tool, until the first closes")
  void secondWindow() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "twice", team());
    String guest = mesh.guestKey(owner, mw, "backend");
    McpAgent first = McpAgent.start(mesh, guest, mw, "backend");
    try (McpAgent second = McpAgent.start(mesh, guest, mw, "backend")) {
      assertThat(second.instructions()).contains("This window does not hold the agent: agent already running in another window");
      for (String tool : List.of("meshcode_status", "meshcode_wait", "meshcode_inbox")) {
        expectError(second.call(tool, Map.of()), "agent_running", "agent already running in another window");
      }
      first.ok("meshcode_status", Map.of());
      first.close();
      Eventually.within(Duration.ofSeconds(10), () ->
          assertThat(second.call("meshcode_status", Map.of()).json().path("you").asString())
              .as("first:\n%s\nsecond:\n%s", first.stderr(), second.stderr()).isEqualTo("backend"));
      // The tool call opened the second window's session, and its report counts as activity.
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(mesh.status(owner, mw, "backend")).isEqualTo("working"));
    } finally {
      first.close();
    }
  }

  @Test
  @DisplayName("an owner's tools create meshworks, add and edit agents and link meshworks; a guest's are refused")
  void ownerTools() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "admin", team());
    String other = "other-" + mw.substring(mw.length() - 8);
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend")) {
      JsonNode created = backend.ok("meshcode_create_meshwork", Map.of("name", other));
      assertThat(created.path("name").asString()).isEqualTo(other);
      assertThat(created.path("next_command").asString()).isEqualTo("meshcode go <agent> --project " + other);
      assertThat(created.path("next_step").asString()).contains("open a new terminal and run: meshcode go <agent> --project " + other);
      JsonNode added = backend.ok("meshcode_add_agent", Map.of("name", "ops", "role", "deploys"));
      assertThat(added.path("next_command").asString()).isEqualTo("meshcode go ops --project " + mw);
      assertThat(added.path("next_step").asString()).isEqualTo("To start ops, open a new terminal and run: meshcode go ops --project " + mw);
      backend.ok("meshcode_edit_agent", Map.of("name", "ops", "launch_prompt", "Deploy when qa says so."));
      JsonNode ops = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/agents/ops", owner, null);
      assertThat(ops.path("role").asString()).isEqualTo("deploys");
      assertThat(ops.path("launch_prompt").asString()).isEqualTo("Deploy when qa says so.");
      expectError(backend.call("meshcode_edit_agent", Map.of("name", "ops")), "invalid_arguments",
          "nothing to change: give role or launch_prompt");

      mesh.expect(201, "POST", "/v1/meshworks/" + other + "/agents", owner, Json.object().put("name", "reviewer"));
      backend.ok("meshcode_link", Map.of("target_meshwork", other));
      JsonNode sent = backend.ok("meshcode_send", Map.of("to", other + "/reviewer", "message", "across the link"));
      assertThat(sent.path("recipients").get(0).path("agent").asString()).endsWith("reviewer");
    }
    String guest = mesh.guestKey(owner, mw, "qa");
    try (McpAgent qa = McpAgent.start(mesh, guest, mw, "qa")) {
      McpAgent.Reply refused = qa.call("meshcode_create_meshwork", Map.of("name", "mine"));
      assertThat(refused.isError()).isTrue();
      assertThat(refused.json().path("ok").asBoolean(true)).isFalse();
      assertThat(refused.json().path("error").path("message").asString()).isNotBlank();
    }
  }

  @Test
  @DisplayName("reports every tool call to the replay log with its arguments, result and duration")
  void activityReported() {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "log", team());
    try (McpAgent backend = McpAgent.start(mesh, owner, mw, "backend")) {
      backend.ok("meshcode_send", Map.of("to", "frontend", "message", "logged"));
      backend.call("meshcode_wait", Map.of("timeout_seconds", 77));
      backend.ok("meshcode_done", Map.of("summary", "sent the log test message"));
    }
    Eventually.within(Duration.ofSeconds(15), () -> {
      List<JsonNode> calls = mesh.toolCalls(owner, mw, "backend");
      assertThat(calls).extracting(c -> c.path("tool").asString())
          .containsSubsequence("meshcode_send", "meshcode_wait", "meshcode_done");
      JsonNode send = calls.stream().filter(c -> c.path("tool").asString().equals("meshcode_send")).findFirst().orElseThrow();
      assertThat(send.path("result").asString()).isEqualTo("ok");
      assertThat(Json.parse(send.path("arguments").asString())).isEqualTo(Json.object().put("to", "frontend").put("message", "logged"));
      assertThat(send.path("duration_ms").asInt(-1)).isGreaterThanOrEqualTo(0);
      JsonNode failed = calls.stream().filter(c -> c.path("tool").asString().equals("meshcode_wait")).findFirst().orElseThrow();
      assertThat(failed.path("result").asString()).isEqualTo("error");
      JsonNode done = calls.stream().filter(c -> c.path("tool").asString().equals("meshcode_done")).findFirst().orElseThrow();
      assertThat(done.path("arguments").asString()).contains("sent the log test message");
    });
  }

  static void expectError(McpAgent.Reply reply, String code, String message) {
    assertThat(reply.isError()).as(reply.json().toString()).isTrue();
    assertThat(reply.json().path("ok").asBoolean(true)).isFalse();
    assertThat(reply.json().path("error").path("code").asString()).isEqualTo(code);
    assertThat(reply.json().path("error").path("message").asString()).isEqualTo(message);
  }

  static List<String> texts(JsonNode batch) {
    List<String> texts = new ArrayList<>();
    batch.path("messages").forEach(m -> texts.add(m.path("text").asString()));
    return texts;
  }

  static JsonNode find(JsonNode agents, String name) {
    for (JsonNode agent : agents) {
      if (name.equals(agent.path("name").asString())) {
        return agent;
      }
    }
    throw new AssertionError("no agent " + name + " in " + agents);
  }
}
