package io.meshcode.bus;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tool call an agent reported with its activity: the tool's name, a summary of its arguments,
 * {@code ok} or {@code error}, and how long it took; all but the name may be unknown (null).
 */
record ToolCall(String tool, String arguments, String result, Integer durationMs) {

  static final String[] FIELDS = {"tool", "arguments", "result", "duration_ms"};
  /** An activity body's fields: one call's, or {@code calls}, a list of them. */
  static final String[] BODY_FIELDS = {"tool", "arguments", "result", "duration_ms", "calls"};
  static final int CALLS_MAX = 50;
  static final int TOOL_MAX = 80;
  static final int ARGUMENTS_MAX = 1000;
  private static final Set<String> RESULTS = Set.of("ok", "error");

  /**
   * The calls an activity body reports, in the order the agent made them: {@code calls}, a list
   * of 1 to {@value #CALLS_MAX} calls, each of which names its tool; or the one call the body's
   * own fields describe; or none, for bare activity.
   */
  static List<ToolCall> listFrom(JsonInput body) {
    Object calls = body.value("calls");
    if (calls == null) {
      return from(body).map(List::of).orElse(List.of());
    }
    for (String field : FIELDS) {
      if (body.value(field) != null) {
        throw ApiException.badRequest("'calls' lists the calls; '" + field + "' belongs inside each of them");
      }
    }
    if (!(calls instanceof JsonArray list) || list.isEmpty() || list.size() > CALLS_MAX) {
      throw ApiException.badRequest("'calls' must be a list of 1 to " + CALLS_MAX + " tool calls");
    }
    List<ToolCall> read = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject each)) {
        throw ApiException.badRequest("calls[" + i + "] must be an object");
      }
      try {
        read.add(from(JsonInput.of(each, FIELDS))
            .orElseThrow(() -> ApiException.badRequest("'tool' is missing")));
      } catch (ApiException e) {
        throw ApiException.badRequest("calls[" + i + "]: " + e.getMessage());
      }
    }
    return read;
  }

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
