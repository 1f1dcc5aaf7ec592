package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.RawHttp;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway forwards with its own internal token: a request must never be able to choose where
 * it goes. A trap listens beside the stand-ins and counts every connection made to it.
 */
@DisplayName("Request forgery through the gateway")
class RequestForgeryTest {

  private static GatewayFixture mesh;
  private static Trap trap;
  private static OpenAPIContract contract;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws IOException {
    mesh = GatewayFixture.start();
    trap = new Trap();
    vertx = Vertx.vertx();
    contract = TestServices.await(PublicApi.loadContract(vertx));
  }

  @AfterAll
  static void stop() throws IOException {
    mesh.close();
    trap.close();
    TestServices.await(vertx.close());
  }

  @BeforeEach
  void resetTrap() {
    trap.connections.set(0);
  }

  private static final String JOIN_BODY = "{\"token\":\"x\",\"display_name\":\"y\"}";

  private static String post(String target, String body) {
    return RawHttp.exchange(mesh.port(), "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  @Test
  @DisplayName("refuses an absolute-form target naming another host with 400, and never calls that host")
  void absoluteForm() {
    String answer = post("http://127.0.0.1:" + trap.port() + "/v1/join", JOIN_BODY);
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(answer).contains("\"code\":\"bad_request\"").contains("not an absolute URL");
    assertThat(RawHttp.status(RawHttp.get(mesh.port(), "http://127.0.0.1:" + mesh.port() + "/v1/me", "Authorization: Bearer " + mesh.adminKey)))
        .as("even one naming the gateway itself").isEqualTo(400);
    assertThat(trap.connections).hasValue(0);
  }

  @Test
  @DisplayName("refuses a path starting with //host, with or without dot segments, with 400, and never calls that host")
  void networkPath() {
    String answer = post("//127.0.0.1:" + trap.port() + "/../v1/join", JOIN_BODY);
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(RawHttp.status(post("//127.0.0.1:" + trap.port() + "/v1/join", JOIN_BODY))).isEqualTo(400);
    assertThat(RawHttp.status(RawHttp.get(mesh.port(), "//v1/meshworks", "Authorization: Bearer " + mesh.adminKey))).isEqualTo(400);
    assertThat(trap.connections).hasValue(0);
  }

  @Test
  @DisplayName("refuses empty and dot segments anywhere in the path, encoded or not, with 400 before any handler")
  void dotSegments() {
    for (String target : new String[] {"/v1//meshworks", "/v1/./me", "/v1/meshworks/../me", "/v1/%2e%2e/v1/me", "/v1/%2E/me", "/v1/me/.."}) {
      String answer = RawHttp.get(mesh.port(), target, "Authorization: Bearer " + mesh.adminKey);
      assertThat(RawHttp.status(answer)).as(target).isEqualTo(400);
      assertThat(answer).as(target).contains("\"code\":\"bad_request\"");
    }
  }

  @Test
  @DisplayName("forwards the normalised path and query to the configured service, whatever Host or forwarding headers say")
  void hostHeadersIgnored() {
    String trapHost = "127.0.0.1:" + trap.port();
    String answer = RawHttp.exchange(mesh.port(), "GET /v1/meshworks?x=%41 HTTP/1.1\r\nHost: " + trapHost
        + "\r\nX-Forwarded-Host: " + trapHost + "\r\nForwarded: host=" + trapHost + "\r\nAuthorization: Bearer " + mesh.adminKey
        + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
    JsonObject echo = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(echo.getString("service")).isEqualTo("invites");
    assertThat(echo.getString("uri")).isEqualTo("/v1/meshworks?x=%41");
    assertThat(trap.connections).hasValue(0);
  }

  @Test
  @DisplayName("sends every operation of the API document only to a configured service, never to a host a request names")
  void everyOperationStaysInside() {
    String trapHost = "127.0.0.1:" + trap.port();
    int forwarded = 0;
    for (Operation operation : contract.operations()) {
      String path = operation.getOpenAPIPath().replaceAll("\\{([^}]+)}", "x$1").toLowerCase();
      String method = operation.getHttpMethod().name();
      String body = method.equals("GET") || method.equals("DELETE") ? "" : "{}";
      String answer = RawHttp.exchange(mesh.port(), method + " " + path + " HTTP/1.1\r\nHost: " + trapHost
          + "\r\nX-Forwarded-Host: " + trapHost + "\r\nAuthorization: Bearer " + mesh.adminKey
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
      // Answered, and never a 500: a 502 is the gateway's word for a stand-in's answer it cannot use.
      assertThat(RawHttp.status(answer)).as(method + " " + path + ": " + answer).isBetween(200, 502).isNotIn(500, 501);
      if (answer.contains("\"service\":")) {
        forwarded++;
      }
    }
    assertThat(forwarded).as("operations that reached a stand-in").isGreaterThan(10);
    assertThat(trap.connections).hasValue(0);
  }

  @Test
  @DisplayName("builds a service's URL from its configured host, port and path alone")
  void targetOfAService() {
    assertThat(ServiceProxy.target(URI.create("http://10.0.0.7:8081"), "/v1/me").getURI()).isEqualTo("/v1/me");
    assertThat(ServiceProxy.target(URI.create("http://10.0.0.7:8081"), "/v1/me").getHost()).isEqualTo("10.0.0.7");
    assertThat(ServiceProxy.target(URI.create("https://bus.internal/api/"), "/v1/me?a=b").getURI()).isEqualTo("/api/v1/me?a=b");
    assertThat(ServiceProxy.target(URI.create("https://bus.internal/api/"), "/v1/me").getPort()).isEqualTo(443);
    assertThat(ServiceProxy.target(URI.create("https://bus.internal/api/"), "/v1/me").isSsl()).isTrue();
  }

  /** A listening socket that only counts connections. */
  private static final class Trap implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;

    Trap() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket ignored = server.accept()) {
            connections.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      }, "forgery-trap");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

}
