package io.meshcode.mcp;

import tools.jackson.databind.node.ObjectNode;

/**
 * A tool call that failed in a way the agent should read: answered as
 * {@code {"ok":false,"error":{"code":…,"message":…}}} with {@code isError: true}.
 */
class ToolError extends RuntimeException {

  static final String INVALID_ARGUMENTS = "invalid_arguments";

  private final String code;

  ToolError(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static ToolError invalid(String message) {
    return new ToolError(INVALID_ARGUMENTS, message);
  }

  String code() {
    return code;
  }

  /** The {@code error} object; subclasses add what the gateway said beyond code and message. */
  ObjectNode errorJson() {
    return Json.object().put("code", code).put("message", getMessage());
  }

  final ObjectNode resultJson() {
    ObjectNode result = Json.object().put("ok", false);
    result.set("error", errorJson());
    return result;
  }
}
