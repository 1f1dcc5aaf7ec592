package io.meshcode.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Request targets")
class RequestTargetTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/v1/me", "/v1/meshworks/alpha/agents/backend/wait?timeout=30&after=12.ab", "/", "/health",
      "/v1/meshworks/alpha/agents/a/memory/k%2Fey", "/v1/meshworks/", "/v1/x?next=//host/../a", "/v1/a.b/c..d/...",
  })
  @DisplayName("takes a path and query, even with dots or '//' in the query or dots inside a segment")
  void accepted(String target) {
    assertThat(RequestTarget.problem(target)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1:9/v1/join", "HTTP://evil/v1/me", "https://evil", "*", "evil.example:80", "",
      "//127.0.0.1:9/../v1/join", "//v1/meshworks", "/v1//meshworks",
      "/v1/./me", "/v1/../v1/me", "/v1/%2e%2e/v1/me", "/v1/%2E/me", "/v1/.%2e/me", "/v1/me/..",
      "/v1/me\\..\\keys", "/v1/me#frag", "/v1/m\u00e9", "/v1/me\u0000", "/v1/me\t", "/v1/meshworks/%zz", "/v1/me%2", "/v1/me?x=%g1",
  })
  @DisplayName("refuses absolute URLs, '*', empty and dot segments, and raw characters that must be encoded, and broken percent-encoding")
  void refused(String target) {
    assertThat(RequestTarget.problem(target)).isNotNull();
  }
}
