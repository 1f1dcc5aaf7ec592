package io.meshcode.bus;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tool call an agent reported with its activity: the tool's name, a summary of its arguments,
 * {@code ok} or {@code error}, and how long it took; all but the name may be unknown (null).
 */
record ToolCall(String tool, String arguments, String result, Integer durationMs) {

  static final String[] FIELDS = {"tool", "arguments", "result", "duration_ms"};
  static final int TOOL_MAX = 80;
  static final int ARGUMENTS_MAX = 1000;
  private static final Set<String> RESULTS = Set.of("ok", "error");

  /** The call an activity body describes; empty for bare activity. Details without {@code tool} are a 400. */
  static Optional<ToolCall> from(JsonInput body) {
    Optional<String> tool = body.optionalString("tool", TOOL_MAX);
    String arguments = body.optionalString("arguments", ARGUMENTS_MAX).orElse(null);
    String result = body.optionalString("result", TOOL_MAX).orElse(null);
    if (result != null && !RESULTS.contains(result)) {
      throw ApiException.badRequest("'result' must be ok or error");
    }
    OptionalInt duration = body.optionalInt("duration_ms", 0, Integer.MAX_VALUE);
    if (tool.isEmpty()) {
      String detail = arguments != null ? "arguments" : result != null ? "result" : duration.isPresent() ? "duration_ms" : null;
      if (detail != null) {
        throw ApiException.badRequest("'" + detail + "' describes a tool call and needs 'tool'");
      }
      return Optional.empty();
    }
    if (tool.get().isBlank()) {
      throw ApiException.badRequest("'tool' must not be blank");
    }
    return Optional.of(new ToolCall(tool.get(), arguments, result, duration.isPresent() ? duration.getAsInt() : null));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("tool", tool)
        .put("arguments", arguments)
        .put("result", result)
        .put("duration_ms", durationMs);
  }
}
