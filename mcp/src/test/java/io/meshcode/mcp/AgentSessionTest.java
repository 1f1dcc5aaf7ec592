package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The session lease against a stand-in for the gateway's session routes (the real ones are
 * exercised by the integration tests; here the answers a test needs are scripted).
 */
@DisplayName("The agent's session")
class AgentSessionTest {

  private HttpServer gateway;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger opens = new AtomicInteger();
  private volatile int openStatus = 201;
  private volatile int heartbeatStatus = 200;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);

  @BeforeEach
  void start() throws IOException {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/", this::answer);
    gateway.start();
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
    timer.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
    int status;
    String answer;
    if (exchange.getRequestMethod().equals("POST")) {
      status = openStatus;
      answer = status == 201
          ? "{\"session_id\":\"s" + opens.incrementAndGet() + "\",\"lease_seconds\":3,\"took_over\":false}"
          : "{\"error\":{\"code\":\"agent_running\",\"message\":\"agent already running in another window\"}}";
    } else if (exchange.getRequestMethod().equals("PUT")) {
      status = heartbeatStatus;
      heartbeatStatus = 200; // one refusal at a time
      answer = status == 200 ? "{\"status\":\"working\"}" : "{\"error\":{\"code\":\"x\",\"message\":\"heartbeat refused\"}}";
    } else {
      status = 204;
      answer = "";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private AgentSession session(EditorCpu cpu) {
    McpOptions options = new McpOptions("shop", "backend", URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
        "mc_test", false, "test-editor", null);
    return new AgentSession(new Gateway(options), options, cpu, timer);
  }

  private List<String> heartbeats() {
    return requests.stream().filter(r -> r.startsWith("PUT")).toList();
  }

  @Test
  @DisplayName("heartbeats every third of the lease, busy while the editor burns CPU, and closes the session")
  void heartbeatsBusy() throws Exception {
    AgentSession session = session(new EditorCpu(ProcessHandle.current()));
    session.open();
    assertThat(session.isOpen()).isTrue();
    assertThat(requests.get(0)).isEqualTo("POST /v1/meshworks/shop/agents/backend/sessions {\"client\":\"test-editor\"}");
    long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
    double sink = 0;
    while (System.nanoTime() < end) {
      sink += Math.sqrt(sink + 1);
    }
    assertThat(sink).isPositive();
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(heartbeats()).isNotEmpty());
    assertThat(heartbeats().get(0)).isEqualTo("PUT /v1/meshworks/shop/agents/backend/sessions/s1 {\"busy\":true}");
    session.close();
    assertThat(requests.get(requests.size() - 1)).startsWith("DELETE /v1/meshworks/shop/agents/backend/sessions/s1");
  }

  @Test
  @DisplayName("says not busy when the editor idles")
  void idleEditor() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      AgentSession session = session(new EditorCpu(sleeper.toHandle()));
      session.open();
      Eventually.within(Duration.ofSeconds(5), () -> assertThat(heartbeats()).isNotEmpty());
      assertThat(heartbeats().get(0)).endsWith("{\"busy\":false}");
      session.close();
    } finally {
      sleeper.destroy();
    }
  }

  @Test
  @DisplayName("refused at start, it answers why and opens once the other window is gone")
  void secondWindow() {
    openStatus = 409;
    AgentSession session = session(new EditorCpu(null));
    session.open();
    assertThat(session.isOpen()).isFalse();
    assertThatThrownBy(session::require).isInstanceOf(ToolError.class)
        .hasMessage("agent already running in another window")
        .extracting(e -> ((ToolError) e).code()).isEqualTo("agent_running");
    openStatus = 201;
    session.require();
    assertThat(session.isOpen()).isTrue();
    session.close();
  }

  @Test
  @DisplayName("taken over by another window, it says so; an ended lease is opened again")
  void takenOverAndGone() {
    AgentSession session = session(new EditorCpu(null));
    session.open();
    heartbeatStatus = 410;
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(session.sessionId()).isEqualTo("s2"));

    openStatus = 409;
    heartbeatStatus = 409;
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(session.isOpen()).isFalse());
    assertThatThrownBy(session::require).hasMessage("this agent was taken over by another window")
        .extracting(e -> ((ToolError) e).code()).isEqualTo("taken_over");
    openStatus = 201;
    session.require();
    assertThat(session.sessionId()).isEqualTo("s3");
    session.close();
  }
}
