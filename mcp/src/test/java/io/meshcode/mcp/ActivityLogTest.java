package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
  @DisplayName("go out in the order of their calls, and close still sends those waiting their 50 ms")
  void reportsInOrderAndAtClose() throws Exception {
    List<String> arrived = new CopyOnWriteArrayList<>();
    HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      arrived.add(exchange.getRequestURI().getPath() + " " + body);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    gateway.start();
    try {
      McpOptions options = new McpOptions("shop", "backend", URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
          "mc_test", false, "test-editor", null);
      ActivityLog log = new ActivityLog(new Gateway(options));
      log.report("meshcode_send", Map.of("to", "frontend", "message", "hi"), true, 12);
      log.report("meshcode_wait", Map.of(), false, 3);
      log.report("meshcode_done", Map.of("summary", "handled"), true, 4);
      log.close();

      assertThat(arrived).hasSize(3);
      assertThat(arrived).allSatisfy(line -> assertThat(line).startsWith("/v1/meshworks/shop/agents/backend/activity "));
      assertThat(arrived.get(0)).contains("\"tool\":\"meshcode_send\"").contains("frontend").contains("\"result\":\"ok\"")
          .contains("\"duration_ms\":12");
      assertThat(arrived.get(1)).contains("\"tool\":\"meshcode_wait\"").contains("\"result\":\"error\"");
      assertThat(arrived.get(2)).contains("\"tool\":\"meshcode_done\"").contains("handled");
    } finally {
      gateway.stop(0);
    }
  }
}
