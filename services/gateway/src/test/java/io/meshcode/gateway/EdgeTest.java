package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's edge")
class EdgeTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start(Map.of(
        "MESHCODE_MAX_BODY_BYTES", "2048",
        "MESHCODE_PUBLIC_URL", "https://mesh.example.org"));
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("gives every response a request id, keeping a sane one the caller sent")
  void requestId() {
    String generated = mesh.call("GET", "/v1/me", mesh.adminKey, null).headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(generated).matches("[0-9a-f-]{36}");
    assertThat(TestHttp.send(mesh.port(), "GET", "/v1/me", null, null, Map.of("X-Request-Id", "trace-42"))
        .headers().firstValue("X-Request-Id")).contains("trace-42");
    assertThat(TestHttp.send(mesh.port(), "GET", "/nope", null, null, Map.of("X-Request-Id", "bad id\u00e9"))
        .headers().firstValue("X-Request-Id").orElseThrow()).isNotEqualTo("bad id\u00e9");
  }

  @Test
  @DisplayName("answers 413 in the error shape for a body over the limit")
  void bodyLimit() {
    HttpResponse<String> response = mesh.call("POST", "/v1/keys", mesh.adminKey, "{\"label\":\"" + "x".repeat(4000) + "\"}");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).getJsonObject("error").getString("code")).isEqualTo("payload_too_large");
  }

  @Test
  @DisplayName("limits each key's requests with 429 and Retry-After, without slowing other keys")
  void rateLimit() {
    try (GatewayFixture strict = GatewayFixture.start(Map.of("MESHCODE_RATE_LIMIT_PER_MINUTE", "3"))) {
      String other = strict.newOwner("Other");
      for (int i = 0; i < 2; i++) {
        assertThat(strict.call("GET", "/v1/me", strict.adminKey, null).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> limited = strict.call("GET", "/v1/me", strict.adminKey, null);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(json(limited).getJsonObject("error").getString("code")).isEqualTo("rate_limited");
      assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
      assertThat(strict.call("GET", "/v1/me", other, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("lets only the dashboard's own origin call from a browser")
  void cors() {
    Map<String, String> preflight = Map.of("Origin", "https://mesh.example.org", "Access-Control-Request-Method", "GET");
    HttpResponse<String> own = TestHttp.send(mesh.port(), "OPTIONS", "/v1/me", null, null, preflight);
    assertThat(own.headers().firstValue("Access-Control-Allow-Origin")).contains("https://mesh.example.org");

    HttpResponse<String> foreign = TestHttp.send(mesh.port(), "OPTIONS", "/v1/me", null, null,
        Map.of("Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET"));
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> foreignGet = TestHttp.send(mesh.port(), "GET", "/v1/me", "Bearer " + mesh.adminKey, null,
        Map.of("Origin", "https://evil.example.com"));
    assertThat(foreignGet.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  @DisplayName("serves its OpenAPI document")
  void servesContract() {
    HttpResponse<String> response = TestHttp.get(mesh.port(), "/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("openapi: 3.1.0").contains("operationId: createMeshwork");
  }

  @Test
  @DisplayName("answers unknown paths 404 and wrong methods 405, in the error shape, and bad percent-encoding 400")
  void unknownRoutes() throws IOException {
    HttpResponse<String> missing = mesh.call("GET", "/v1/nothing-here", mesh.adminKey, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).getJsonObject("error").getString("code")).isEqualTo("not_found");
    HttpResponse<String> wrongMethod = mesh.call("PUT", "/v1/me", mesh.adminKey, "{}");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).getJsonObject("error").getString("code")).isEqualTo("method_not_allowed");
    // Java's HTTP client refuses to send such a path: written by hand. (The router refuses it
    // before any handler runs, in its own words.)
    assertThat(rawGet("/v1/meshworks/%zz", mesh.adminKey)).startsWith("HTTP/1.1 400");
  }

  /** The whole answer to a GET sent as written, without a client that checks the path first. */
  private static String rawGet(String path, String key) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mesh.port())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("tells a browser how to join when it opens an invite's join URL, without caching it")
  void joinPage() {
    HttpResponse<String> page = TestHttp.get(mesh.port(), "/join/mc_inv_" + "a".repeat(43));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("meshcode join");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(page.body()).doesNotContain("a".repeat(43));
  }
}
