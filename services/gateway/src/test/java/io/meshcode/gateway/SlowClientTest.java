package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A client slow to send is cut off; a connection waiting on the server is not. */
@DisplayName("Slow and idle clients")
class SlowClientTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start(Map.of(
        "MESHCODE_HEADER_TIMEOUT_SECONDS", "1",
        "MESHCODE_BODY_TIMEOUT_SECONDS", "1",
        "MESHCODE_IDLE_TIMEOUT_SECONDS", "2"));
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  /** What the server sends on {@code socket} until it closes it, and how long that took; fails after 10 s. */
  private static Ended readUntilClosed(Socket socket) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    StringBuilder read = new StringBuilder();
    byte[] chunk = new byte[4096];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        read.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for 10 s; it sent: " + read);
    }
    return new Ended(read.toString(), (System.nanoTime() - start) / 1_000_000);
  }

  private record Ended(String answer, long afterMs) {}

  private static Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), mesh.port());
  }

  @Test
  @DisplayName("closes a connection that sends nothing after the header timeout, without an answer")
  void silentConnection() throws IOException {
    try (Socket socket = connect()) {
      Ended ended = readUntilClosed(socket);
      assertThat(ended.answer()).isEmpty();
      assertThat(ended.afterMs()).isBetween(500L, 5_000L);
    }
  }

  @Test
  @DisplayName("answers a request head cut short with 408 after the header timeout, and closes")
  void partialHead() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /v1/me HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Ended ended = readUntilClosed(socket);
      assertThat(RawHttp.status(ended.answer())).as(ended.answer()).isEqualTo(408);
      assertThat(ended.answer()).contains("\"code\":\"request_timeout\"");
      assertThat(ended.afterMs()).isLessThan(5_000L);
    }
  }

  @Test
  @DisplayName("a head sent one byte at a time is still cut off at the header timeout")
  void trickledHead() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      String head = "GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(40);
      try {
        for (byte b : head.getBytes(StandardCharsets.US_ASCII)) {
          out.write(b);
          out.flush();
          Thread.sleep(100);
        }
      } catch (IOException closed) {
        // the server closed while we trickled: that is the point
      }
      Ended ended = readUntilClosed(socket);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000L);
      assertThat(RawHttp.status(ended.answer())).as(ended.answer()).isIn(408, -1);
    }
  }

  @Test
  @DisplayName("answers a body cut short with 408 after the body timeout, and closes")
  void partialBody() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tok")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Ended ended = readUntilClosed(socket);
      assertThat(RawHttp.status(ended.answer())).as(ended.answer()).isEqualTo(408);
      assertThat(ended.afterMs()).isLessThan(5_000L);
    }
  }

  @Test
  @DisplayName("closes a kept-alive connection after the idle timeout, and not before its answer")
  void idleKeptAlive() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Ended ended = readUntilClosed(socket);
      assertThat(RawHttp.status(ended.answer())).isEqualTo(200);
      assertThat(ended.afterMs()).isBetween(1_500L, 6_000L);
    }
  }

  @Test
  @DisplayName("never cuts a request the server is still answering, however long past every timeout")
  void slowAnswerNotCut() throws IOException {
    mesh.upstreams.delay("invites", 3_500);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /v1/meshworks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + mesh.adminKey + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Ended ended = readUntilClosed(socket);
      assertThat(RawHttp.status(ended.answer())).as(ended.answer()).isEqualTo(200);
      assertThat(ended.afterMs()).isGreaterThanOrEqualTo(3_000L);
    } finally {
      mesh.upstreams.delay("invites", 0);
    }
  }
}
