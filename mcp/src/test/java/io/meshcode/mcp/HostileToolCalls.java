package io.meshcode.mcp;

import io.meshcode.testkit.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Hostile {@code tools/call} lines made from the server's own {@code tools/list}: for each tool,
 * its arguments' declared types, its required list and the ranges its descriptions state give the
 * values to refuse; the line itself gets every way JSON can be broken. A new tool or argument gets
 * its cases without a change here.
 *
 * <p>The tool schemas declare types but no patterns, so which strings are names, keys or ids is
 * read from the argument's name ({@link #IDENTIFIERS}): only those get path tricks, edge Unicode
 * and over-long names (in free text such as a message, {@code ../} and an emoji are fine). A new
 * identifier argument named otherwise gets every other case.
 */
final class HostileToolCalls {

  /** Categories, in the order the summary prints them (the HTTP suite's). */
  static final List<String> CATEGORIES = List.of("malformed-json", "wrong-type", "missing-field", "extra-field",
      "huge-body", "deep-nesting", "invalid-utf8", "edge-unicode", "path-trick", "control-char", "long-name",
      "out-of-range", "replayed-or-expired-key");

  /**
   * One call: its line for a request id; {@code protocolLevel} if the line is not a well-formed
   * {@code tools/call} at all (not JSON-RPC, not UTF-8, arguments not an object), so that a
   * JSON-RPC error is its answer rather than a tool result.
   */
  record Case(String tool, String category, String description, IntFunction<byte[]> line, boolean protocolLevel) {}

  /** Arguments that name an agent, a meshwork, a memory key or a message or task id. */
  static final Set<String> IDENTIFIERS = Set.of("key", "id", "reply_to", "name", "agent_name", "target_meshwork", "assignee", "to");
  private static final Pattern RANGE = Pattern.compile("^(\\d+)-(\\d+)");
  private static final int HUGE = 1024 * 1024;

  private final List<Case> cases = new ArrayList<>();
  private final Map<String, Integer> perTool = new LinkedHashMap<>();
  private final Map<String, String> valid;

  private HostileToolCalls(Map<String, String> valid) {
    this.valid = valid;
  }

  /**
   * Every case for every tool of a {@code tools/list} result's {@code tools}; {@code valid} gives
   * a valid value (JSON text) for an argument by name, where "frontend" is not one.
   */
  static HostileToolCalls of(JsonNode tools, Map<String, String> valid) {
    HostileToolCalls calls = new HostileToolCalls(valid);
    for (JsonNode tool : tools) {
      calls.tool(tool.path("name").asString(), tool.path("inputSchema"));
    }
    return calls;
  }

  List<Case> cases() {
    return cases;
  }

  Map<String, Integer> tools() {
    return perTool;
  }

  /**
   * For each tool, a call with valid arguments, for a server whose key no longer works: {@code key}
   * says which (a revoked guest key, say).
   */
  static HostileToolCalls withStaleKey(JsonNode tools, Map<String, String> valid, String key) {
    HostileToolCalls calls = new HostileToolCalls(valid);
    for (JsonNode tool : tools) {
      String name = tool.path("name").asString();
      List<String> names = new ArrayList<>();
      tool.path("inputSchema").path("properties").properties().forEach(property -> names.add(property.getKey()));
      List<String> required = new ArrayList<>();
      tool.path("inputSchema").path("required").forEach(each -> required.add(each.asString()));
      String arguments = calls.arguments(names, required, null, null);
      calls.add(name, "replayed-or-expired-key", "valid arguments, " + key, id -> call(id, name, arguments));
    }
    return calls;
  }

  private void tool(String tool, JsonNode schema) {
    perTool.put(tool, 0);
    JsonNode properties = schema.path("properties");
    List<String> names = new ArrayList<>();
    properties.properties().forEach(property -> names.add(property.getKey()));
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asString()));
    String first = names.isEmpty() ? "a" : names.get(0);

    lineCase(tool, "malformed-json", "the line ends inside the arguments", id -> Bytes.utf8(head(id, tool) + "{\"" + first + "\":\n"));
    lineCase(tool, "malformed-json", "the arguments use single quotes", id -> Bytes.utf8(head(id, tool) + "{'" + first + "':'x'}}}\n"));
    lineCase(tool, "malformed-json", "the arguments have a trailing comma", id -> Bytes.utf8(head(id, tool) + "{\"" + first + "\":\"x\",}}}\n"));
    lineCase(tool, "malformed-json", "an argument is NaN", id -> Bytes.utf8(head(id, tool) + "{\"" + first + "\":NaN}}}\n"));
    lineCase(tool, "malformed-json", "the arguments start with a comment", id -> Bytes.utf8(head(id, tool) + "/*c*/{}}}\n"));
    lineCase(tool, "deep-nesting", "an argument is 3,000 arrays deep", id -> call(id, tool, "{\"" + first + "\":" + nested(3_000) + "}"));
    for (String notObject : List.of("\"x\"", "[1]", "1", "true")) {
      lineCase(tool, "wrong-type", "the arguments are " + notObject + ", not an object", id -> call(id, tool, notObject));
    }
    for (String name : required) {
      String without = arguments(names, required, name, null);
      add(tool, "missing-field", "required '" + name + "' is missing", id -> call(id, tool, without));
    }
    if (!required.isEmpty()) {
      add(tool, "missing-field", "no arguments at all", id -> Bytes.utf8(head(id, tool).replace(",\"arguments\":", "") + "}}\n"));
      add(tool, "missing-field", "empty arguments", id -> call(id, tool, "{}"));
    }
    for (String extra : List.of("extra", "__proto__", first.toUpperCase(), "")) {
      if (!names.contains(extra)) {
        String with = arguments(names, required, null, null).replaceFirst("^\\{", "{\"" + extra + "\":1" + (required.isEmpty() ? "" : ","));
        add(tool, "extra-field", "an unknown argument '" + extra + "'", id -> call(id, tool, with));
      }
    }
    for (String name : names) {
      argument(tool, names, required, name, properties.path(name));
    }
  }

  private void argument(String tool, List<String> names, List<String> required, String name, JsonNode schema) {
    JsonNode type = schema.path("type");
    Set<String> types = new java.util.HashSet<>();
    if (type.isArray()) {
      type.forEach(each -> types.add(each.asString()));
    } else if (!type.isMissingNode()) {
      types.add(type.asString());
    }
    String in = "argument '" + name + "' ";
    List<String> wrong = new ArrayList<>();
    if (types.contains("string") && !types.contains("array")) {
      wrong.addAll(List.of("1", "true", "{}", "[\"x\"]", "1.5"));
    } else if (types.contains("string")) {
      wrong.addAll(List.of("1", "true", "{}", "[1]", "[null]", "[[\"x\"]]"));
    } else if (types.contains("array")) {
      wrong.addAll(List.of("1", "true", "{}", "[1]", "[null]"));
    } else if (types.contains("integer")) {
      wrong.addAll(List.of("\"abc\"", "true", "{}", "[1]", "\"\""));
    }
    for (String value : wrong) {
      put(tool, names, required, name, "wrong-type", in + "is " + value, Bytes.utf8(value));
    }
    if (schema.has("enum")) {
      put(tool, names, required, name, "out-of-range", in + "is not one of its values", Bytes.utf8("\"bogus\""));
      put(tool, names, required, name, "out-of-range", in + "is its first value in upper case",
          Bytes.utf8("\"" + schema.path("enum").get(0).asString().toUpperCase() + "\""));
    }
    put(tool, names, required, name, "deep-nesting", in + "is 40 arrays deep", Bytes.utf8(nested(40)));
    if (types.contains("integer")) {
      Matcher range = RANGE.matcher(schema.path("description").asString(""));
      if (range.find()) {
        put(tool, names, required, name, "out-of-range", in + "is below " + range.group(1), Bytes.utf8(Long.toString(Long.parseLong(range.group(1)) - 1)));
        put(tool, names, required, name, "out-of-range", in + "is above " + range.group(2), Bytes.utf8(Long.toString(Long.parseLong(range.group(2)) + 1)));
      }
      for (String value : List.of("9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1.5", "\"1.5\"", "\"0x10\"")) {
        put(tool, names, required, name, "out-of-range", in + "is " + value, Bytes.utf8(value));
      }
      return;
    }
    if (types.contains("array") && !types.contains("string")) {
      put(tool, names, required, name, "huge-body", in + "has 10,000 items", Bytes.utf8("[" + "\"a\",".repeat(9_999) + "\"a\"]"));
      put(tool, names, required, name, "edge-unicode", in + "has an item with a lone surrogate", Bytes.utf8("[\"a\\ud800\"]"));
      String arguments = arguments(names, required, null, name);
      lineCase(tool, "invalid-utf8", in + "has an item with byte 0xff",
          id -> splice(call(id, tool, arguments), Bytes.concat(Bytes.utf8("[\"a"), Bytes.of(0xff), Bytes.utf8("\"]"))));
      return;
    }
    // a string (or any JSON, which a string is): what no string may hold
    put(tool, names, required, name, "huge-body", in + "is a 1 MB string", Bytes.utf8("\"" + "x".repeat(HUGE) + "\""));
    for (String value : List.of("\"\\ud800\"", "\"a\\udc00\"", "\"x\\u0000y\"")) {
      put(tool, names, required, name, "edge-unicode", in + "is " + value, Bytes.utf8(value));
    }
    for (byte[] invalid : List.of(Bytes.of(0xff), Bytes.of(0xc0, 0xaf), Bytes.of(0xed, 0xa0, 0x80), Bytes.of(0xe2, 0x82))) {
      byte[] raw = Bytes.concat(Bytes.utf8("\"a"), invalid, Bytes.utf8("\""));
      String arguments = arguments(names, required, null, name);
      lineCase(tool, "invalid-utf8", in + "holds bytes " + java.util.HexFormat.of().formatHex(invalid) + " (not UTF-8)",
          id -> splice(call(id, tool, arguments), raw));
    }
    for (int control : new int[] {0x01, 0x1b}) {
      byte[] raw = Bytes.concat(Bytes.utf8("\"a"), Bytes.of(control), Bytes.utf8("b\""));
      String arguments = arguments(names, required, null, name);
      lineCase(tool, "control-char", in + "holds raw byte 0x" + Integer.toHexString(control), id -> splice(call(id, tool, arguments), raw));
    }
    if (!IDENTIFIERS.contains(name)) {
      return;
    }
    boolean key = name.equals("key");
    for (String value : key ? List.of("..", ".") : List.of("..", ".", "../a", "a/../b", "%2e%2e", "//a", "a%00", "")) {
      put(tool, names, required, name, "path-trick", in + "is '" + value + "'", Bytes.utf8(Json.write(Json.tree(value))));
    }
    for (String value : List.of("a\\u001bb", "a\\tb", "a\\nb", "a\\u007f", "a\\u0085")) {
      if (!key || !value.equals("a\\u0085")) {
        put(tool, names, required, name, "control-char", in + "is \"" + value + "\"", Bytes.utf8("\"" + value + "\""));
      }
    }
    if (!key) {
      for (String value : List.of("a\u202eb", "a\ud83d\ude00", "a\u200db", "\ufeffa1", "\uff41", "\u04301")) {
        put(tool, names, required, name, "edge-unicode", in + "is " + Json.write(Json.tree(value)), Bytes.utf8(Json.write(Json.tree(value))));
      }
    }
    int over = key ? 201 : 41;
    put(tool, names, required, name, "long-name", in + "is " + over + " characters", Bytes.utf8("\"" + "a".repeat(over) + "\""));
    put(tool, names, required, name, "long-name", in + "is 5,000 characters", Bytes.utf8("\"" + "a".repeat(5_000) + "\""));
  }

  /** A case with {@code name} set to {@code fragment} (raw JSON bytes) and every other required argument valid. */
  private void put(String tool, List<String> names, List<String> required, String name, String category, String description, byte[] fragment) {
    String arguments = arguments(names, required, null, name);
    add(tool, category, description, id -> splice(call(id, tool, arguments), fragment));
  }

  /** The required arguments with valid values, {@code without} left out and {@code marked} set to the splice mark. */
  private String arguments(List<String> names, List<String> required, String without, String marked) {
    StringBuilder json = new StringBuilder("{");
    for (String name : names) {
      if (name.equals(without) || !(required.contains(name) || name.equals(marked))) {
        continue;
      }
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(Json.write(Json.tree(name))).append(':')
          .append(name.equals(marked) ? "\"" + MARK + "\"" : valid.getOrDefault(name, "\"frontend\""));
    }
    return json.append('}').toString();
  }

  private static final String MARK = "@@hostile@@";

  private static String head(int id, String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":";
  }

  private static byte[] call(int id, String tool, String arguments) {
    return Bytes.utf8(head(id, tool) + arguments + "}}\n");
  }

  private void add(String tool, String category, String description, IntFunction<byte[]> line) {
    cases.add(new Case(tool, category, description, line, false));
    perTool.merge(tool, 1, Integer::sum);
  }

  private void lineCase(String tool, String category, String description, IntFunction<byte[]> line) {
    cases.add(new Case(tool, category, description, line, true));
    perTool.merge(tool, 1, Integer::sum);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static byte[] splice(byte[] line, byte[] fragment) {
    String text = new String(line, StandardCharsets.UTF_8);
    int at = text.indexOf("\"" + MARK + "\"");
    return Bytes.concat(Bytes.utf8(text.substring(0, at)), fragment, Bytes.utf8(text.substring(at + MARK.length() + 2)));
  }
}
