package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.DatabaseFingerprint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every tool of the MCP server, called over raw stdio with hostile arguments made from its own
 * {@code tools/list} ({@link HostileToolCalls}): each call must be answered, within a bound, with
 * a tool result {@code isError: true} whose text is {@code {"ok":false,"error":{"code","message"}}}
 * (or, for a line that is not JSON-RPC at all, a JSON-RPC error), the server must stay up, and
 * nothing may change in the database.
 *
 * <p>The fingerprint leaves out what the HTTP suite's does (outboxes, sessions, presence, the
 * sweep's status entries; see {@code HostileInputIT}) and, by design here, the replay log's
 * {@code tool.called} entries: the server reports every call to the log, a refused one too, with
 * {@code result: error}.
 */
@DisplayName("Hostile tool input to the MCP server")
class HostileToolInputIT {

  private static final DatabaseFingerprint.Exclusions EXCLUDED = new DatabaseFingerprint.Exclusions(
      List.of("*.outbox", "bus.sessions", "bus.presence", "bus.event_log_seq"),
      Map.of("invites.members", List.of("last_seen_at")),
      Map.of("bus.event_log", "type IN ('agent.status', 'tool.called', 'session.opened', 'session.closed')"));
  private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);
  private static final long SLOW_MS = 5_000;

  /**
   * Cases not refused today, by "tool [category] description", with why: printed on every run and
   * left out of the assertion. Each is a known issue to fix, not a decision.
   */
  static final Map<String, String> KNOWN_ISSUES = Map.of(
      "meshcode_done [replayed-or-expired-key] valid arguments, the server's guest key revoked while it runs",
      "with nothing new to acknowledge, done makes no request, so it answers ok with a revoked key; its summary, "
          + "sent to the replay log after the answer, is then refused and lost (the agent's next wait reports the key)");

  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  @Test
  @DisplayName("answers every hostile call of every tool with an error result, stays up, and changes nothing")
  void everyToolRefusesHostileArguments() throws Exception {
    long started = System.nanoTime();
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "hostile", Map.of("backend", "API", "frontend", "UI"));
    mesh.meshwork(owner, "other", Map.of());
    String taskId = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/tasks", owner, Json.object().put("title", "Parser"))
        .path("id").asString();
    Map<String, String> valid = Map.of("id", "\"" + taskId + "\"");
    DatabaseFingerprint fingerprint = new DatabaseFingerprint(EXCLUDED);
    List<String> failures = new ArrayList<>();
    List<HostileToolCalls.Case> all = new ArrayList<>();
    Map<String, Integer> perTool;
    JsonNode tools;
    try (McpProcess server = McpProcess.start(env(owner, mw, "backend"))) {
      server.initialize();
      tools = server.request(2, "tools/list", Json.object(), Duration.ofSeconds(30)).path("result").path("tools");
      HostileToolCalls calls = HostileToolCalls.of(tools, valid);
      perTool = new LinkedHashMap<>(calls.tools());
      assertThat(perTool).as("tools listed").hasSizeGreaterThan(15);
      assertThat(perTool).as("cases per tool").allSatisfy((tool, count) -> assertThat(count).as(tool).isGreaterThanOrEqualTo(10));
      all.addAll(calls.cases());
      run(server, calls.cases(), fingerprint, failures);
    }

    // a guest key revoked while its server runs, and an owner key revoked before its server starts
    String token = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/invites", owner, Json.object().put("agent", "frontend"))
        .path("token").asString();
    JsonNode guest = mesh.expect(201, "POST", "/v1/join", null, Json.object().put("token", token).put("display_name", "Gone"));
    JsonNode revokedOwner = mesh.expect(201, "POST", "/v1/keys", owner, Json.object().put("label", "gone"));
    mesh.expect(204, "DELETE", "/v1/keys/" + revokedOwner.path("id").asString(), owner, null);
    try (McpProcess server = McpProcess.start(env(guest.path("key").asString(), mw, "frontend"))) {
      server.initialize();
      mesh.expect(204, "DELETE", "/v1/meshworks/" + mw + "/members/" + guest.path("member_id").asString(), owner, null);
      HostileToolCalls stale = HostileToolCalls.withStaleKey(tools, valid, "the server's guest key revoked while it runs");
      all.addAll(stale.cases());
      run(server, stale.cases(), fingerprint, failures);
    }
    // An owner key revoked before its server starts can never work: initialize, and then every call,
    // is a JSON-RPC error saying so (what an editor's MCP panel shows), and the server stays up.
    try (McpProcess server = McpProcess.start(env(revokedOwner.path("key").asString(), mw, "backend"))) {
      JsonNode refused = server.initializeAnswer();
      assertThat(refused.path("error").path("code").asInt()).as(refused.toString()).isEqualTo(StdioTransport.CANNOT_SERVE);
      assertThat(refused.path("error").path("message").asString()).contains("refused the API key: it is unknown or revoked");
      for (JsonNode tool : tools) {
        ObjectNode call = Json.object().put("name", tool.path("name").asString());
        call.set("arguments", Json.object());
        JsonNode answer = server.request(++nextId, "tools/call", call, CASE_TIMEOUT);
        assertThat(answer.path("error").path("message").asString()).as(tool.path("name").asString())
            .contains("refused the API key: it is unknown or revoked");
      }
      assertThat(server.isAlive()).isTrue();
    }
    all.forEach(hostile -> perTool.merge(hostile.tool(), hostile.category().equals("replayed-or-expired-key") ? 1 : 0, Integer::sum));

    Map<String, Long> byCategory = new TreeMap<>(all.stream()
        .collect(Collectors.groupingBy(HostileToolCalls.Case::category, Collectors.counting())));
    StringBuilder summary = new StringBuilder("Hostile tool input: ").append(all.size()).append(" cases over ")
        .append(perTool.size()).append(" tools in ").append((System.nanoTime() - started) / 1_000_000 / 1000.0).append(" s; by category:");
    HostileToolCalls.CATEGORIES.forEach(category -> summary.append(' ').append(category).append('=').append(byCategory.getOrDefault(category, 0L)));
    summary.append("; per tool:");
    perTool.forEach((tool, count) -> summary.append(' ').append(tool).append('=').append(count));
    System.out.println(summary);
    assertThat(failures).as("hostile calls not refused cleanly, of " + all.size()).isEmpty();
  }

  private static Map<String, String> env(String key, String meshwork, String agent) {
    Map<String, String> env = new HashMap<>(McpAgent.serverEnv(mesh.url(), key));
    env.put("MESHCODE_PROJECT", meshwork);
    env.put("MESHCODE_AGENT", agent);
    env.put("MESHCODE_LOG_LEVEL", "info");
    return env;
  }

  private static int nextId = 100;

  /** Sends the cases tool by tool, fingerprinting the database after each tool's batch; a batch that moved it is replayed case by case. */
  private static void run(McpProcess server, List<HostileToolCalls.Case> cases, DatabaseFingerprint fingerprint, List<String> failures)
      throws Exception {
    Map<String, String> before = fingerprint.settled(500, 40);
    Map<String, List<HostileToolCalls.Case>> byTool = cases.stream()
        .collect(Collectors.groupingBy(HostileToolCalls.Case::tool, LinkedHashMap::new, Collectors.toList()));
    for (List<HostileToolCalls.Case> batch : byTool.values()) {
      for (HostileToolCalls.Case hostile : batch) {
        String problem = problem(server, hostile, ++nextId);
        if (problem != null && KNOWN_ISSUES.containsKey(name(hostile))) {
          System.out.println("Hostile tool input: known issue, not asserted: " + name(hostile) + ": " + problem
              + " (" + KNOWN_ISSUES.get(name(hostile)) + ")");
        } else if (problem != null) {
          failures.add(name(hostile) + ": " + problem);
        }
        if (!server.isAlive()) {
          failures.add(name(hostile) + ": the server exited\n" + server.stderr());
          return;
        }
      }
      Map<String, String> after = fingerprint.settled(300, 40);
      if (!after.equals(before)) {
        failures.add(batch.get(0).tool() + ": its batch changed " + DatabaseFingerprint.changed(before, after));
        Map<String, String> caseBefore = after;
        for (HostileToolCalls.Case hostile : batch) {
          problem(server, hostile, ++nextId);
          Map<String, String> caseAfter = fingerprint.settled(300, 40);
          if (!caseAfter.equals(caseBefore)) {
            failures.add(name(hostile) + ": changed " + DatabaseFingerprint.changed(caseBefore, caseAfter));
            caseBefore = caseAfter;
          }
        }
        before = fingerprint.settled(300, 40);
      }
    }
  }

  private static String name(HostileToolCalls.Case hostile) {
    return hostile.tool() + " [" + hostile.category() + "] " + hostile.description();
  }

  /** Sends one case and says why its answer is not a clean refusal, or null. */
  private static String problem(McpProcess server, HostileToolCalls.Case hostile, int id) throws Exception {
    long start = System.nanoTime();
    server.sendRaw(hostile.line().apply(id));
    String line = server.awaitAnswerLine(id, CASE_TIMEOUT);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (line == null) {
      return "no answer within " + CASE_TIMEOUT.toSeconds() + " s";
    }
    if (millis > SLOW_MS) {
      return "answered only after " + millis + " ms";
    }
    JsonNode answer = Json.parse(line);
    if (answer.has("error")) {
      JsonNode error = answer.path("error");
      if (!error.path("code").isNumber() || error.path("message").asString("").isBlank()) {
        return "a JSON-RPC error without a code and message: " + clip(line);
      }
      if (error.path("message").asString().contains("Exception")) {
        return "a JSON-RPC error naming an exception, not saying what is wrong: " + clip(line);
      }
      return hostile.protocolLevel() ? null : "a JSON-RPC error, not a tool result with isError: " + clip(line);
    }
    JsonNode result = answer.path("result");
    if (!result.path("isError").asBoolean(false)) {
      return "not refused: " + clip(line);
    }
    JsonNode text = Json.parse(result.path("content").get(0).path("text").asString());
    JsonNode error = text.path("error");
    if (text.path("ok").asBoolean(true) || error.path("code").asString("").isBlank() || error.path("message").asString("").isBlank()) {
      return "an error result without {\"ok\":false,\"error\":{\"code\",\"message\"}}: " + clip(line);
    }
    return null;
  }

  private static String clip(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
