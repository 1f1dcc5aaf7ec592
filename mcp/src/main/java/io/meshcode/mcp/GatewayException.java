package io.meshcode.mcp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway answered an error ({@code {"error":{"code","message",…}}}), or could not be reached
 * (status 0, code {@code unreachable}).
 */
final class GatewayException extends ToolError {

  static final String UNREACHABLE = "unreachable";

  private final int status;
  private final JsonNode error;

  GatewayException(int status, String code, String message, JsonNode error) {
    super(code, message);
    this.status = status;
    this.error = error;
  }

  static GatewayException unreachable(String message) {
    return new GatewayException(0, UNREACHABLE, message, null);
  }

  int status() {
    return status;
  }

  /** The gateway could not be reached, or a service behind it could not answer: worth a retry. */
  boolean transientFailure() {
    return status == 0 || status == 502 || status == 503 || status == 504;
  }

  @Override
  ObjectNode errorJson() {
    ObjectNode json = super.errorJson();
    if (error != null && error.isObject()) {
      // Details a service adds (a conflicting reservation, a version) help the agent decide.
      error.properties().forEach(field -> {
        if (!json.has(field.getKey())) {
          json.set(field.getKey(), field.getValue());
        }
      });
    }
    return json;
  }
}
