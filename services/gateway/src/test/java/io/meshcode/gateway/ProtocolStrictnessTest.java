package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.RawHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Requests that two HTTP parsers could frame differently (request smuggling) or that only a lenient
 * parser takes are refused with an answer, never processed and never dropped without one.
 */
@DisplayName("HTTP strictness at the edge")
class ProtocolStrictnessTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start(Map.of());
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static final String JOIN = "{\"token\":\"x\",\"display_name\":\"y\"}";

  private static String raw(String request) {
    return RawHttp.exchange(mesh.port(), request);
  }

  @Test
  @DisplayName("refuses a request with both Content-Length and Transfer-Encoding with 400, and what was smuggled behind it is not run")
  void contentLengthAndTransferEncoding() {
    String smuggled = "GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + mesh.adminKey + "\r\n\r\n";
    String answer = raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + (5 + JOIN.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(answer).contains("\"code\":\"bad_request\"").doesNotContain("\"account\"");
    assertThat(answer.indexOf("HTTP/1.1", 1)).as("a single answer: the connection closes after it").isEqualTo(-1);
  }

  @Test
  @DisplayName("refuses Transfer-Encoding other than plain chunked, and two different Content-Lengths, with 400")
  void badFraming() {
    assertThat(RawHttp.status(raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"))).isEqualTo(400);
    assertThat(RawHttp.status(raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"))).isEqualTo(400);
    assertThat(RawHttp.status(raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + JOIN.length() + "\r\nContent-Length: 3\r\n\r\n" + JOIN))).isEqualTo(400);
    assertThat(RawHttp.status(raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: +" + JOIN.length() + "\r\n\r\n" + JOIN))).isEqualTo(400);
  }

  @Test
  @DisplayName("answers a request line or headers past the decoder's limits with 414 and 431 in the error shape, not an empty page")
  void oversizedHeadsAnswered() {
    String longLine = raw("GET /v1/meshworks/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(longLine)).as(longLine).isEqualTo(414);
    assertThat(longLine).contains("\"code\":\"uri_too_long\"");
    String bigHeader = raw("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mc_" + "a".repeat(9_000) + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(bigHeader)).as(bigHeader).isEqualTo(431);
    assertThat(bigHeader).contains("\"code\":\"headers_too_large\"");
  }

  @Test
  @DisplayName("refuses a raw tab or other control character in the request target with 400 in the error shape")
  void controlCharacterInTarget() {
    String answer = raw("GET /v1/me\tx HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + mesh.adminKey + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(answer).contains("\"code\":\"bad_request\"").doesNotContain("\"account\"");
  }

  @Test
  @DisplayName("refuses two Authorization headers with 400, so a revoked key never rides beside a good one")
  void twoAuthorizationHeaders() {
    String answer = raw("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + mesh.adminKey
        + "\r\nAuthorization: Bearer mc_sk_not-a-key\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(answer).contains("one Authorization header").doesNotContain("\"account\"");
  }

  @Test
  @DisplayName("refuses a folded (obs-fold) header line with 400 instead of joining it")
  void foldedHeader() {
    String answer = raw("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n " + mesh.adminKey + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(answer).doesNotContain("\"account\"");
  }

  @Test
  @DisplayName("refuses a chunked body with a bad chunk size with 400")
  void badChunkSize() {
    String answer = raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "zz\r\n" + JOIN + "\r\n0\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    String negative = raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "-1\r\n" + JOIN + "\r\n0\r\n\r\n");
    assertThat(RawHttp.status(negative)).as(negative).isEqualTo(400);
  }

  @Test
  @DisplayName("takes a well-formed chunked body")
  void goodChunks() {
    String answer = raw("POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n" + Integer.toHexString(JOIN.length()) + ";ext=1\r\n" + JOIN + "\r\n0\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
  }

  @Test
  @DisplayName("answers HTTP/2.0 (or any version but 1.0 and 1.1) on a request line with 505")
  void httpVersion() {
    String answer = raw("GET /v1/me HTTP/2.0\r\nHost: x\r\nAuthorization: Bearer " + mesh.adminKey + "\r\n\r\n");
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(505);
    assertThat(RawHttp.status(raw("GET /v1/me HTTP/1.2\r\nHost: x\r\n\r\n"))).isEqualTo(505);
    assertThat(RawHttp.status(raw("GET /v1/me HTTP/1.0\r\nAuthorization: Bearer " + mesh.adminKey + "\r\n\r\n"))).isEqualTo(200);
  }

  @Test
  @DisplayName("refuses a query parameter given twice with 400 naming it")
  void duplicateQueryParameters() {
    HttpResponse<String> timeout = mesh.call("GET", "/v1/meshworks/alpha/agents/backend/wait?timeout=1&timeout=50", mesh.adminKey, null);
    assertThat(timeout.statusCode()).as(timeout.body()).isEqualTo(400);
    assertThat(GatewayFixture.errorMessage(timeout)).contains("'timeout'");
    HttpResponse<String> limit = mesh.call("GET", "/v1/meshworks/alpha/agents/backend/wait?limit=1&limit=2", mesh.adminKey, null);
    assertThat(limit.statusCode()).as(limit.body()).isEqualTo(400);
    assertThat(GatewayFixture.errorMessage(limit)).contains("'limit'");
  }
}
