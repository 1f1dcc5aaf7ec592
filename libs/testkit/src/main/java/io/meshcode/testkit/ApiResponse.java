package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

/** What a service answered: a status and JSON body (empty for 204). */
public record ApiResponse(int status, JsonObject body) {

  public String code() {
    return body.getJsonObject("error").getString("code");
  }

  public String error() {
    return body.getJsonObject("error").getString("message");
  }

  /** The body, after checking the status (the body shows in the failure message). */
  public JsonObject expect(int expected) {
    assertThat(status).as(body.encode()).isEqualTo(expected);
    return body;
  }

  /** Checks an error answer: its status, code and exact message. */
  public void expectError(int expected, String code, String message) {
    expect(expected);
    assertThat(code()).isEqualTo(code);
    assertThat(error()).isEqualTo(message);
  }
}
