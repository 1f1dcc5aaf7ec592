package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayName("Tool-call reports to the replay log")
class ActivityLogTest {

  @Test
  @DisplayName("are compact JSON with long strings cut, at most 1000 characters")
  void summaries() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("to", List.of("a", "b"));
    args.put("message", "x".repeat(5000));
    String summary = ActivityLog.summary("meshcode_send", args);
    assertThat(summary).startsWith("{\"to\":[\"a\",\"b\"],\"message\":\"xxx").contains("…");
    assertThat(summary.length()).isLessThan(300);

    String done = ActivityLog.summary("meshcode_done", Map.of("summary", "y".repeat(700)));
    assertThat(done).contains("y".repeat(700));
    assertThat(ActivityLog.summary("meshcode_done", Map.of("summary", "z".repeat(3000)))).hasSize(ActivityLog.SUMMARY_MAX);
    assertThat(ActivityLog.summary("meshcode_status", Map.of())).isEqualTo("{}");
  }

  @Test
  @DisplayName("never cut an emoji in half, which would leave a lone surrogate the gateway refuses")
  void cutsWholeCharacters() {
    for (int at = 195; at < 202; at++) {
      String summary = ActivityLog.summary("meshcode_send", Map.of("message", "x".repeat(at) + "\ud83d\ude00".repeat(200)));
      for (int i = 0; i < summary.length(); i++) {
        char c = summary.charAt(i);
        boolean paired = Character.isHighSurrogate(c) ? i + 1 < summary.length() && Character.isLowSurrogate(summary.charAt(++i))
            : !Character.isLowSurrogate(c);
        assertThat(paired).as("character %d of %s", i, summary).isTrue();
      }
    }
  }

  @Test
  @DisplayName("go out together in the order of their calls, and close still sends those gathered or settling")
  void reportsGatheredInOrderAndAtClose() throws Exception {
    try (FakeGateway gateway = new FakeGateway(false)) {
      ActivityLog log = new ActivityLog(gateway.client());
      log.report("meshcode_send", Map.of("to", "frontend", "message", "hi"), true, 12);
      log.report("meshcode_wait", Map.of(), false, 3);
      log.report("meshcode_done", Map.of("summary", "handled"), true, 4);
      log.close();

      assertThat(gateway.bodies).hasSize(1);
      JsonNode calls = gateway.bodies.get(0).path("calls");
      assertThat(calls).hasSize(3);
      assertThat(calls.get(0).path("tool").asString()).isEqualTo("meshcode_send");
      assertThat(calls.get(0).path("arguments").asString()).contains("frontend");
      assertThat(calls.get(0).path("result").asString()).isEqualTo("ok");
      assertThat(calls.get(0).path("duration_ms").asInt()).isEqualTo(12);
      assertThat(calls.get(1).path("tool").asString()).isEqualTo("meshcode_wait");
      assertThat(calls.get(1).path("result").asString()).isEqualTo("error");
      assertThat(calls.get(2).path("tool").asString()).isEqualTo("meshcode_done");
      assertThat(calls.get(2).path("arguments").asString()).contains("handled");
    }
  }

  @Test
  @DisplayName("a lone call goes out on its own about a second after it answered, as one call")
  void loneCallAfterGathering() throws Exception {
    try (FakeGateway gateway = new FakeGateway(false)) {
      ActivityLog log = new ActivityLog(gateway.client());
      long start = System.nanoTime();
      log.report("meshcode_status", Map.of(), true, 1);
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(gateway.bodies).hasSize(1));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ActivityLog.GATHER);
      assertThat(gateway.bodies.get(0).path("tool").asString()).isEqualTo("meshcode_status");
      assertThat(gateway.bodies.get(0).has("calls")).isFalse();
      log.close();
      assertThat(gateway.bodies).hasSize(1);
    }
  }

  @Test
  @DisplayName("more calls than the mesh takes at once go out in several reports, none lost, in order")
  void manyCallsInSeveralReports() throws Exception {
    try (FakeGateway gateway = new FakeGateway(false)) {
      ActivityLog log = new ActivityLog(gateway.client());
      int count = ActivityLog.CALLS_MAX * 2 + 7;
      for (int i = 0; i < count; i++) {
        log.report("call_" + i, Map.of(), true, i);
      }
      log.close();
      assertThat(gateway.bodies).allSatisfy(body -> assertThat(body.path("calls").size()).isBetween(1, ActivityLog.CALLS_MAX));
      assertThat(gateway.tools()).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "call_" + i).toList());
    }
  }

  @Test
  @DisplayName("to a mesh older than lists of calls (400), go out one call per report, in order, from then on")
  void olderMeshOneByOne() throws Exception {
    try (FakeGateway gateway = new FakeGateway(true)) {
      ActivityLog log = new ActivityLog(gateway.client());
      log.report("meshcode_send", Map.of("to", "frontend"), true, 1);
      log.report("meshcode_wait", Map.of(), true, 2);
      log.close();
      log = new ActivityLog(gateway.client());
      log.report("meshcode_done", Map.of(), true, 3);
      log.close();
      assertThat(gateway.tools()).containsExactly("meshcode_send", "meshcode_wait", "meshcode_done");
      assertThat(gateway.refused).hasValue(1);
    }
  }

  /** A gateway on loopback that keeps every activity body; {@code old} refuses lists of calls, as a mesh before them did. */
  private static final class FakeGateway implements AutoCloseable {
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    private final HttpServer server;

    FakeGateway(boolean old) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exchange.getRequestURI().getPath()).isEqualTo("/v1/meshworks/shop/agents/backend/activity");
        JsonNode json = Json.parse(body);
        if (old && json.has("calls")) {
          refused.incrementAndGet();
          byte[] error = "{\"error\":{\"code\":\"bad_request\",\"message\":\"unknown field 'calls'\"}}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, error.length);
          exchange.getResponseBody().write(error);
        } else {
          bodies.add(json);
          exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
      });
      server.start();
    }

    Gateway client() {
      return new Gateway(new McpOptions("shop", "backend", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
          "mc_test", false, "test-editor", null));
    }

    /** Every reported call's tool, in the order they arrived. */
    List<String> tools() {
      List<String> tools = new ArrayList<>();
      for (JsonNode body : bodies) {
        if (body.has("calls")) {
          body.path("calls").forEach(call -> tools.add(call.path("tool").asString()));
        } else {
          tools.add(body.path("tool").asString());
        }
      }
      return tools;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
