package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Calls to the gateway")
class GatewayTest {

  @Test
  @DisplayName("a server that never answers is a timeout naming the wait, not an unreachable server")
  void silentServerTimesOut() throws Exception {
    try (RawServer server = new RawServer(false)) {
      Gateway gateway = server.client();
      assertThatThrownBy(() -> gateway.call("GET", "/v1/me", null, Duration.ofMillis(300)))
          .isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo("timeout");
            assertThat(e.getMessage()).contains("did not answer within");
          });
    }
  }

  @Test
  @DisplayName("a POST whose connection drops before the answer fails once and is not sent again behind the caller's back")
  void postNeverSentTwice() throws Exception {
    try (RawServer server = new RawServer(true)) {
      Gateway gateway = server.client();
      assertThatThrownBy(() -> gateway.call("POST", gateway.agentPath("sessions", "s-1", "heartbeat"), null, Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.transientFailure()).isTrue());
      Thread.sleep(200);
      assertThat(server.requestLines).containsExactly("POST /v1/meshworks/shop/agents/backend/sessions/s-1/heartbeat HTTP/1.1");
    }
  }

  @Test
  @DisplayName("a cancelled call ends at once with cancelled, not when its time is up")
  void cancelEndsTheCall() throws Exception {
    try (RawServer server = new RawServer(false)) {
      Gateway gateway = server.client();
      CancelSignal cancel = new CancelSignal();
      long start = System.nanoTime();
      Thread canceller = new Thread(() -> {
        sleep(300);
        cancel.cancel();
      });
      canceller.start();
      assertThatThrownBy(() -> gateway.call("GET", gateway.agentPath("wait"), null, Duration.ofSeconds(30), cancel))
          .isInstanceOfSatisfying(ToolError.class, e -> assertThat(e.code()).isEqualTo("cancelled"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      canceller.join();
    }
  }

  @Test
  @DisplayName("cancelling a call that is over leaves the kept-alive connection's next call alone")
  void lateCancelHarmless() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().endsWith("/slow")) {
        sleep(600);
      }
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Gateway gateway = new Gateway(new McpOptions("shop", "backend", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
          "mc_test", false, "test-editor", null));
      CancelSignal first = new CancelSignal();
      assertThat(gateway.call("GET", "/v1/fast", null, Duration.ofSeconds(5), first).path("ok").asBoolean()).isTrue();
      Thread canceller = new Thread(() -> {
        sleep(200);
        first.cancel();
      });
      canceller.start();
      // Most likely on the connection the first call left kept alive.
      assertThat(gateway.call("GET", "/v1/slow", null, Duration.ofSeconds(5)).path("ok").asBoolean()).isTrue();
      canceller.join();
    } finally {
      server.stop(0);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads each request's head, then either closes the connection ({@code drop}) or says nothing. */
  private static final class RawServer implements AutoCloseable {
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    RawServer(boolean drop) throws IOException {
      Thread accepting = new Thread(() -> {
        try {
          while (true) {
            Socket connection = socket.accept();
            BufferedReader head = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
            requestLines.add(head.readLine());
            for (String line = head.readLine(); line != null && !line.isEmpty(); line = head.readLine()) {
              // the rest of the head
            }
            if (drop) {
              connection.close();
            } else {
              held.add(connection);
            }
          }
        } catch (IOException e) {
          // closed
        }
      }, "raw-server");
      accepting.setDaemon(true);
      accepting.start();
    }

    Gateway client() {
      return new Gateway(new McpOptions("shop", "backend", URI.create("http://127.0.0.1:" + socket.getLocalPort()),
          "mc_test", false, "test-editor", null));
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket connection : held) {
        connection.close();
      }
    }
  }
}
