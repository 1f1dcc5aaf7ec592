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
  private volatile String openCode = AgentSession.AGENT_RUNNING;
  private volatile int heartbeatStatus = 200;
  private volatile int leaseSeconds = 3;
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
      String code = openCode;
      if (AgentSession.SESSION_ID_TAKEN.equals(code)) {
        openStatus = 201; // one refusal at a time
        openCode = AgentSession.AGENT_RUNNING;
      }
      answer = status == 201
          ? "{\"session_id\":\"s" + opens.incrementAndGet() + "\",\"lease_seconds\":" + leaseSeconds + ",\"took_over\":false}"
          : "{\"error\":{\"code\":\"" + code + "\",\"message\":\"refused: " + code + "\"}}";
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

  /** The session id each open offered, in order. */
  private List<String> offeredIds() {
    return requests.stream().filter(r -> r.startsWith("POST"))
        .map(r -> Json.text(Json.parse(r.substring(r.indexOf('{'))), "session_id")).toList();
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
    assertThat(requests.get(0)).matches("POST /v1/meshworks/shop/agents/backend/sessions "
        + "\\{\"client\":\"test-editor\",\"session_id\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"}");
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
  @DisplayName("a heartbeat that fails without a refusal is tried again within seconds, not a third of the lease later")
  void heartbeatRetriedSoon() {
    leaseSeconds = 15; // a heartbeat every 5 s
    heartbeatStatus = 503;
    AgentSession session = session(new EditorCpu(null));
    session.open();
    // The first at 5 s is refused; the retry comes at 7 s, well before the next tick at 10 s.
    Eventually.within(Duration.ofSeconds(9), () -> assertThat(heartbeats()).hasSize(2));
    assertThat(session.isOpen()).isTrue();
    session.close();
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
        .hasMessage("refused: agent_running")
        .extracting(e -> ((ToolError) e).code()).isEqualTo("agent_running");
    openStatus = 201;
    session.require();
    assertThat(session.isOpen()).isTrue();
    session.close();
  }

  @Test
  @DisplayName("an open that may have succeeded is sent again with the same session id; the next session gets a new one")
  void openSentAgain() {
    openStatus = 503;
    openCode = "unavailable";
    AgentSession session = session(new EditorCpu(null));
    session.open();
    assertThat(session.isOpen()).isFalse();
    openStatus = 201;
    session.require();
    assertThat(session.isOpen()).isTrue();
    heartbeatStatus = 410;
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(session.sessionId()).isEqualTo("s2"));

    List<String> offered = offeredIds();
    assertThat(offered).hasSize(3).doesNotContainNull();
    assertThat(offered.get(1)).as("sent again").isEqualTo(offered.get(0));
    assertThat(offered.get(2)).as("a new session").isNotEqualTo(offered.get(0));
    session.close();
  }

  @Test
  @DisplayName("a session id the mesh knows otherwise is replaced by a new one at once")
  void sessionIdTaken() {
    openStatus = 409;
    openCode = AgentSession.SESSION_ID_TAKEN;
    AgentSession session = session(new EditorCpu(null));
    session.open();
    assertThat(session.isOpen()).isTrue();
    List<String> offered = offeredIds();
    assertThat(offered).hasSize(2);
    assertThat(offered.get(1)).isNotEqualTo(offered.get(0));
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
