package io.meshcode.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code meshcode_*} tool: its name, a short description, its arguments' JSON schema and the
 * handler. Descriptions stay terse: every agent pays for the whole {@code tools/list} in tokens
 * on every turn.
 */
record ToolSpec(String name, String description, Map<String, Object> inputSchema, List<String> arguments, Handler handler) {

  @FunctionalInterface
  interface Handler {
    /** The result, starting with {@code "ok": true}; a {@link ToolError} for a failure to report. */
    ObjectNode handle(ToolCall call);
  }

  static Builder tool(String name, String description) {
    return new Builder(name, description);
  }

  static Map<String, Object> string(String description) {
    return described(Map.of("type", "string"), description);
  }

  static Map<String, Object> integer(String description) {
    return described(Map.of("type", "integer"), description);
  }

  static Map<String, Object> strings(String description) {
    return described(Map.of("type", "array", "items", Map.of("type", "string")), description);
  }

  /** A string or a list of strings. */
  static Map<String, Object> stringOrList(String description) {
    return described(Map.of("type", List.of("string", "array"), "items", Map.of("type", "string")), description);
  }

  /** Any JSON value. */
  static Map<String, Object> anyJson(String description) {
    return described(Map.of(), description);
  }

  static Map<String, Object> choice(String description, List<String> values) {
    return described(Map.of("type", "string", "enum", values), description);
  }

  private static Map<String, Object> described(Map<String, Object> schema, String description) {
    Map<String, Object> result = new LinkedHashMap<>(schema);
    if (description != null) {
      result.put("description", description);
    }
    return result;
  }

  static final class Builder {
    private final String name;
    private final String description;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private Builder(String name, String description) {
      this.name = name;
      this.description = description;
    }

    Builder required(String argument, Map<String, Object> schema) {
      required.add(argument);
      return optional(argument, schema);
    }

    Builder optional(String argument, Map<String, Object> schema) {
      properties.put(argument, schema);
      return this;
    }

    ToolSpec handler(Handler handler) {
      Map<String, Object> schema = new LinkedHashMap<>();
      schema.put("type", "object");
      schema.put("properties", properties);
      if (!required.isEmpty()) {
        schema.put("required", List.copyOf(required));
      }
      return new ToolSpec(name, description, schema, List.copyOf(properties.keySet()), handler);
    }
  }
}
