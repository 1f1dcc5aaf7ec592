package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The stdio protocol byte for byte: what stdout carries, cancellations, the end of input. */
@DisplayName("The MCP server on raw stdio")
class StdioProtocolIT {

  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private static Map<String, String> env(String key, String meshwork, String agent) {
    Map<String, String> env = new java.util.HashMap<>(McpAgent.serverEnv(mesh.url(), key));
    env.put("MESHCODE_PROJECT", meshwork);
    env.put("MESHCODE_AGENT", agent);
    return env;
  }

  @Test
  @DisplayName("answers initialize with its instructions, lists its tools in under 8 KB, and writes only JSON-RPC to stdout")
  void protocolOnly() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "raw", Map.of("backend", "API"));
    try (McpProcess server = McpProcess.start(env(owner, mw, "backend"))) {
      JsonNode init = server.initialize();
      assertThat(init.path("serverInfo").path("name").asString()).isEqualTo("meshcode");
      assertThat(init.path("capabilities").has("tools")).isTrue();
      assertThat(init.path("instructions").asString()).contains("You are agent \"backend\"");

      String list = server.requestLine(2, "tools/list", Json.object(), Duration.ofSeconds(10));
      int bytes = list.getBytes(StandardCharsets.UTF_8).length;
      assertThat(bytes).as("the tools/list answer, %d bytes", bytes).isLessThan(8 * 1024);
      assertThat(Json.parse(list).path("result").path("tools")).hasSize(22);
      assertThat(server.request(3, "ping", null, Duration.ofSeconds(10)).has("result")).isTrue();
      server.closeInput();
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isZero();

      assertThat(server.stdoutLines()).isNotEmpty().allSatisfy(line ->
          assertThat(Json.parse(line).path("jsonrpc").asString()).as(line).isEqualTo("2.0"));
      assertThat(server.stderr()).contains("MeshCode MCP server ready");
    }
  }

  @Test
  @DisplayName("answers a line that is not JSON-RPC or not UTF-8 with a parse error, and arguments that are not an object with invalid params, and keeps serving")
  void unreadableLines() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "junk", Map.of("backend", "API"));
    try (McpProcess server = McpProcess.start(env(owner, mw, "backend"))) {
      server.initialize();
      server.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\n".getBytes(StandardCharsets.UTF_8));
      JsonNode parse = Json.parse(server.awaitAnswerLine(2, Duration.ofSeconds(10)));
      assertThat(parse.path("id").isNull()).isTrue();
      assertThat(parse.path("error").path("code").asInt()).isEqualTo(-32700);
      byte[] notUtf8 = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"meshcode_remember\",\"arguments\":{\"key\":\"k\",\"value\":\"a\u00ff\"}}}\n"
          .getBytes(StandardCharsets.ISO_8859_1);
      server.sendRaw(notUtf8);
      assertThat(Json.parse(server.awaitAnswerLine(3, Duration.ofSeconds(10))).path("error").path("message").asString()).contains("not valid UTF-8");
      server.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"meshcode_status\",\"arguments\":[1]}}\n"
          .getBytes(StandardCharsets.UTF_8));
      JsonNode invalid = Json.parse(server.awaitAnswerLine(4, Duration.ofSeconds(10)));
      assertThat(invalid.path("id").asInt()).isEqualTo(4);
      assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32602);
      assertThat(server.request(5, "ping", null, Duration.ofSeconds(10)).has("result")).isTrue();
      assertThat(mesh.call("GET", "/v1/meshworks/" + mw + "/agents/backend/memory/k", owner, null).body()).contains("\"found\":false");
    }
  }

  @Test
  @DisplayName("exits cleanly when stdin closes, ending its session at once")
  void exitsWhenInputEnds() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "eof", Map.of("backend", "API"));
    try (McpProcess server = McpProcess.start(env(owner, mw, "backend"))) {
      server.initialize();
      assertThat(mesh.status(owner, mw, "backend")).isEqualTo("online");
      server.closeInput();
      // A bound on a busy machine, not a timing target; that it closed its session itself is in its log below.
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isZero();
      assertThat(mesh.status(owner, mw, "backend")).isEqualTo("offline");
      assertThat(server.stderr()).contains("stdin closed").contains("closed");
    }
  }

  @Test
  @DisplayName("a client's cancellation releases a parked wait at once, its answer is never sent, and no message is lost")
  void cancellation() throws Exception {
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "cancel", Map.of("backend", "API", "frontend", "UI"));
    try (McpProcess server = McpProcess.start(env(owner, mw, "backend"))) {
      server.initialize();
      server.sendRequest(5, "tools/call", Json.object().put("name", "meshcode_wait")
          .set("arguments", Json.object().put("timeout_seconds", 40)));
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(mesh.status(owner, mw, "backend")).isEqualTo("waiting"));
      long cancelledAt = System.nanoTime();
      server.notify("notifications/cancelled", Json.object().put("requestId", 5).put("reason", "user pressed Esc"));

      assertThat(server.request(6, "ping", null, Duration.ofSeconds(5)).has("result")).isTrue();
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(mesh.toolCalls(owner, mw, "backend"))
          .anySatisfy(call -> {
            assertThat(call.path("tool").asString()).isEqualTo("meshcode_wait");
            assertThat(call.path("duration_ms").asLong()).isLessThan(Duration.ofNanos(System.nanoTime() - cancelledAt).toMillis() + 5_000);
          }));
      assertThat(server.awaitResponseLine(5, Duration.ofSeconds(2))).as("the cancelled call's response").isNull();

      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/frontend/messages", owner,
          Json.object().put("to", "backend").put("text", "after the cancel"));
      JsonNode next = server.callTool(7, "meshcode_wait", Json.object().put("timeout_seconds", 10), Duration.ofSeconds(30));
      assertThat(next.path("messages").get(0).path("text").asString()).isEqualTo("after the cancel");
    }
  }

  @Test
  @DisplayName("starts and answers every tool with a clear error when the server cannot be reached")
  void unreachable() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(McpAgent.serverEnv("http://127.0.0.1:1", "mc_nobody"));
    try (McpProcess server = McpProcess.start(env, "--project", "shop", "--agent", "backend")) {
      assertThat(server.initialize().path("instructions").asString())
          .contains("The MeshCode server could not be reached: cannot reach the MeshCode server at http://127.0.0.1:1");
      JsonNode status = server.callTool(2, "meshcode_status", Json.object(), Duration.ofSeconds(30));
      assertThat(status.path("_isError").asBoolean()).isTrue();
      assertThat(status.path("error").path("code").asString()).isEqualTo("unreachable");
    }
  }

  @Test
  @DisplayName("with MESHCODE_LOG_FORMAT=json logs one JSON object per line to stderr, and only JSON-RPC reaches stdout")
  void jsonLogs() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(McpAgent.serverEnv("http://127.0.0.1:1", "mc_nobody"));
    env.put("MESHCODE_LOG_FORMAT", "json");
    try (McpProcess server = McpProcess.start(env, "--project", "shop", "--agent", "backend")) {
      assertThat(server.initialize().path("serverInfo").path("name").asString()).isEqualTo("meshcode");
      server.closeInput();
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isZero();

      assertThat(server.stdoutLines()).isNotEmpty().allSatisfy(line ->
          assertThat(Json.parse(line).path("jsonrpc").asString()).as(line).isEqualTo("2.0"));
      List<JsonNode> events = server.stderrLines().stream().map(Json::parse).toList();
      assertThat(events).allSatisfy(event -> assertThat(event.path("level").asString()).isNotEmpty());
      assertThat(events).anySatisfy(event -> {
        assertThat(event.path("loggerName").asString()).isEqualTo(AgentServer.class.getName());
        assertThat(event.path("formattedMessage").asString()).startsWith("MeshCode MCP server ready for agent backend of meshwork shop");
      });
    }
  }

  @Test
  @DisplayName("refuses a bad MESHCODE_LOG_FORMAT in one line, with nothing on stdout")
  void badLogFormat() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(McpAgent.serverEnv("http://127.0.0.1:1", "mc_nobody"));
    env.put("MESHCODE_LOG_FORMAT", "xml");
    try (McpProcess server = McpProcess.start(env, "--project", "shop", "--agent", "backend")) {
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isEqualTo(2);
      assertThat(server.stderrLines().get(0)).isEqualTo("meshcode mcp: MESHCODE_LOG_FORMAT: expected text or json, got 'xml'");
      Thread.sleep(100);
      assertThat(server.stdoutLines()).isEqualTo(List.of());
    }
  }

  @Test
  @DisplayName("refuses to start without a key, naming what is missing, with nothing on stdout")
  void usageError() throws Exception {
    try (McpProcess server = McpProcess.start(Map.of(), "--project", "shop", "--agent", "backend")) {
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isEqualTo(2);
      assertThat(server.stderr()).contains("no API key");
      assertThat(server.stdoutLines()).isEqualTo(List.of());
    }
  }
}
