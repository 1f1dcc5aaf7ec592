package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.testkit.RawHttp;
import io.meshcode.testkit.TestHttp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the edge takes as input: exactly JSON, strictly decoded, and never a file. */
@DisplayName("Strict input at the edge")
class StrictInputTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start(Map.of());
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  /** A POST of {@code body} bytes as {@code contentType} (none if null), written raw. */
  private static String post(String path, String contentType, byte[] body, String key) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
    request.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    return RawHttp.exchange(mesh.port(), request.toByteArray());
  }

  private static String postJson(String body) {
    return post("/v1/meshworks", "application/json", body.getBytes(StandardCharsets.UTF_8), mesh.adminKey);
  }

  @Test
  @DisplayName("refuses a multipart upload with 415, with or without a key, and writes nothing to disk")
  void multipartNeverStored() {
    String boundary = "XyZ";
    String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(5000) + "\r\n--" + boundary + "--\r\n";
    for (String key : new String[] {null, mesh.adminKey}) {
      String answer = post("/v1/join", "multipart/form-data; boundary=" + boundary, multipart.getBytes(StandardCharsets.US_ASCII), key);
      assertThat(RawHttp.status(answer)).as(answer).isEqualTo(415);
      assertThat(answer).contains("\"code\":\"unsupported_media_type\"");
    }
    assertThat(Files.exists(Path.of("file-uploads"))).as("an uploads folder in the working directory").isFalse();
  }

  @Test
  @DisplayName("matches the content type exactly and without regard to case")
  void contentTypes() {
    byte[] body = "{\"name\":\"alpha\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(RawHttp.status(post("/v1/meshworks", "APPLICATION/JSON", body, mesh.adminKey))).isEqualTo(200);
    assertThat(RawHttp.status(post("/v1/meshworks", "application/json; charset=UTF-8", body, mesh.adminKey))).isEqualTo(200);
    for (String refused : new String[] {"application/jsonx", "application/json-patch+json", "text/plain", "application/json; charset=latin1",
        "application/x-www-form-urlencoded"}) {
      assertThat(RawHttp.status(post("/v1/meshworks", refused, body, mesh.adminKey))).as(refused).isEqualTo(415);
    }
    assertThat(RawHttp.status(post("/v1/meshworks", null, body, mesh.adminKey))).as("no type").isEqualTo(415);
  }

  @Test
  @DisplayName("refuses JSON beyond RFC 8259 with 400: comments, NaN, overflowing numbers, duplicate names, deep nesting, two values")
  void strictJson() {
    String[] refused = {
        "/*c*/{\"name\":\"alpha\"}", "{\"name\":\"alpha\"} // c", "{\"name\":NaN}", "{\"name\":Infinity}", "{\"name\":1e999999}",
        "{\"name\":-1e999999}", "{\"name\":\"a\",\"name\":\"b\"}", "{'name':'alpha'}", "{\"name\":\"alpha\",}",
        "[".repeat(100) + "]".repeat(100), "{\"name\":\"alpha\"} {\"name\":\"beta\"}", "{\"name\":\"\\ud800\"}",
        "{\"name\":\"\\udc00x\"}", "{\"\\ud83d\":1}", "{\"name\":\"a\u0001\"}".replace("\u0001", "\u0001"),
    };
    for (String body : refused) {
      String answer = postJson(body);
      assertThat(RawHttp.status(answer)).as(body + " → " + answer).isEqualTo(400);
      assertThat(answer).as(body).contains("\"code\":\"bad_request\"").doesNotContain("\"service\"");
    }
    assertThat(RawHttp.status(postJson("{\"name\":\"emoji\\ud83d\\ude00\"}"))).as("a surrogate pair is fine").isNotEqualTo(500);
  }

  @Test
  @DisplayName("refuses a body that is not UTF-8 with 400")
  void invalidUtf8() {
    byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    String answer = post("/v1/meshworks", "application/json", body, mesh.adminKey);
    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    // in free text, where no pattern refuses it first: the parser alone lets an overlong form through
    byte[] overlong = "{\"name\":\"utf8\",\"description\":\"a\u00c0\u00af\"}".getBytes(StandardCharsets.ISO_8859_1);
    String refused = post("/v1/meshworks", "application/json", overlong, mesh.adminKey);
    assertThat(RawHttp.status(refused)).as(refused).isEqualTo(400);
    assertThat(refused).contains("not valid UTF-8");
  }

  @Test
  @DisplayName("refuses percent-encoding that is not UTF-8 in a path or query with 400, so two keys never read as one")
  void strictPercentEncoding() {
    for (String path : new String[] {"/v1/meshworks/alpha/agents/backend/memory/%ff", "/v1/meshworks/alpha/agents/backend/memory/%fe",
        "/v1/meshworks/alpha/agents/backend/memory/%ed%a0%80", "/v1/meshworks/alpha/agents/backend/memory/%c0%af",
        "/v1/meshworks?x=%ff"}) {
      String answer = RawHttp.get(mesh.port(), path, "Authorization: Bearer " + mesh.adminKey);
      assertThat(RawHttp.status(answer)).as(path + " → " + answer).isEqualTo(400);
    }
    HttpResponse<String> utf8 = mesh.call("GET", "/v1/meshworks/alpha/agents/backend/memory/caf%C3%A9", mesh.adminKey, null);
    assertThat(utf8.statusCode()).as("a key in UTF-8 passes the edge").isNotEqualTo(400);
  }

  @Test
  @DisplayName("names a path parameter holding a control character, as the dashboard shows it, rather than 'can't be decoded'")
  void controlCharacterInPath() {
    for (String encoded : new String[] {"bell%07key", "%00", "line%0Abreak"}) {
      HttpResponse<String> answer = mesh.call("PUT", "/v1/meshworks/alpha/agents/backend/memory/" + encoded, mesh.adminKey, "{\"value\":\"x\"}");
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body()).contains("path parameter 'key' must be text without control characters");
    }
  }

  @Test
  @DisplayName("limits unknown and malformed keys per address with 429, without locking out a key that works")
  void unknownKeysLimited() {
    try (GatewayFixture strict = GatewayFixture.start(Map.of("MESHCODE_KEY_FAILURES_PER_MINUTE", "20"))) {
      assertThat(strict.call("GET", "/v1/me", strict.adminKey, null).statusCode()).isEqualTo(200);
      int unauthorized = 0;
      int limited = 0;
      String retryAfter = null;
      for (int i = 0; i < 60; i++) {
        String key = i % 2 == 0 ? SecretKeys.generate(SecretKeys.OWNER) : "not-a-key-" + i;
        HttpResponse<String> response = TestHttp.call(strict.port(), "GET", "/v1/me", key, null);
        if (response.statusCode() == 401) {
          unauthorized++;
        } else if (response.statusCode() == 429) {
          limited++;
          retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        }
      }
      assertThat(unauthorized).as("401s before the limit").isBetween(15, 25);
      assertThat(limited).as("429s past it").isGreaterThanOrEqualTo(35);
      assertThat(retryAfter).isNotNull();
      assertThat(strict.call("GET", "/v1/me", strict.adminKey, null).statusCode()).as("the working key").isEqualTo(200);
    }
  }
}
