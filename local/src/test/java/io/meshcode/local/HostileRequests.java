package io.meshcode.local;

import io.meshcode.testkit.Bytes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hostile requests made from the API document alone: for each operation, its path and query
 * parameters and its body's schema each get the values that schema (or the rule its description
 * states) refuses, the body gets every way JSON can be broken, and the key every way it can be
 * stale. A new operation, parameter or property gets its cases without a change here. Each case is
 * the raw bytes of one request, sent with {@code Connection: close}.
 */
final class HostileRequests {

  /** Categories, in the order the summary prints them. */
  static final List<String> CATEGORIES = List.of("malformed-json", "wrong-type", "missing-field", "extra-field",
      "huge-body", "deep-nesting", "invalid-utf8", "edge-unicode", "path-trick", "control-char", "long-name",
      "out-of-range", "content-type", "replayed-or-expired-key");

  /** One request; {@code aboutKey}: what is hostile is its key, so a 401 is the right refusal. */
  record Case(String operation, String category, String description, byte[] request, boolean aboutKey) {}

  /**
   * The live things a request may name, and the keys that reach them.
   *
   * @param pathValues a real value for each path parameter, by name
   * @param ownerKey the working key operations are called with (public ones with none)
   * @param keyFor another working key for some operations, by operationId
   * @param staleKeys keys that no longer work, by what they are
   * @param staleBodies for public operations, bodies holding a used, expired or revoked token, by operationId then description
   */
  record World(Map<String, String> pathValues, String ownerKey, Map<String, String> keyFor, Map<String, String> staleKeys,
      Map<String, Map<String, JsonObject>> staleBodies) {}

  private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
  private static final int HUGE_STRING = 200 * 1024;
  private static final int OVER_BODY_LIMIT = 300 * 1024;
  private static final String MARK = "@@hostile@@";

  private final JsonObject contract;
  private final World world;
  private final List<Case> cases = new ArrayList<>();
  private final Map<String, Integer> perOperation = new LinkedHashMap<>();
  private boolean aboutKeys;

  private HostileRequests(JsonObject contract, World world) {
    this.contract = contract;
    this.world = world;
  }

  /** Every case for every operation of {@code contract} (the raw document); operations with no case are still listed in {@link #operations}. */
  static HostileRequests of(JsonObject contract, World world) {
    HostileRequests requests = new HostileRequests(contract, world);
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      if (!path.startsWith("/")) {
        continue; // the loader's own bookkeeping (its base URI)
      }
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (METHODS.contains(method)) {
          requests.operation(path, method.toUpperCase(), item);
        }
      }
    }
    return requests;
  }

  List<Case> cases() {
    return cases;
  }

  /** Each operationId of the document with its number of cases. */
  Map<String, Integer> operations() {
    return perOperation;
  }

  // ---- one operation ----

  private record Op(String id, String method, String path, List<JsonObject> parameters, JsonObject bodySchema,
      boolean bodyRequired, String key, boolean isPublic) {}

  private void operation(String path, String method, JsonObject item) {
    JsonObject definition = item.getJsonObject(method.toLowerCase());
    String id = definition.getString("operationId");
    perOperation.put(id, 0);
    List<JsonObject> parameters = new ArrayList<>();
    for (JsonArray list : new JsonArray[] {item.getJsonArray("parameters"), definition.getJsonArray("parameters")}) {
      if (list != null) {
        list.forEach(p -> parameters.add(deref((JsonObject) p)));
      }
    }
    JsonObject body = definition.getJsonObject("requestBody") == null ? null : deref(definition.getJsonObject("requestBody"));
    JsonObject bodySchema = body == null ? null
        : deref(body.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
    JsonArray security = definition.getJsonArray("security");
    boolean isPublic = security != null && security.isEmpty();
    Op op = new Op(id, method, path, parameters, bodySchema, body != null && body.getBoolean("required", false),
        isPublic ? null : world.keyFor().getOrDefault(id, world.ownerKey()), isPublic);
    for (JsonObject parameter : parameters) {
      if ("path".equals(parameter.getString("in"))) {
        pathParameter(op, parameter);
      } else if ("query".equals(parameter.getString("in"))) {
        queryParameter(op, parameter);
      }
    }
    rawTarget(op);
    if (bodySchema != null) {
      bodyCases(op);
    } else {
      unwantedBody(op);
    }
    keys(op);
  }

  // ---- path parameters ----

  private void pathParameter(Op op, JsonObject parameter) {
    String name = parameter.getString("name");
    JsonObject schema = deref(parameter.getJsonObject("schema"));
    boolean restricted = restricted(schema);
    String in = "path parameter '" + name + "' ";
    for (String value : List.of("..", "%2e%2e", "%2E%2e", ".", "%2e", "", "a%00", "%00")) {
      addPath(op, "path-trick", in + "is '" + value + "'", name, value);
    }
    if (restricted) {
      for (String value : List.of("%2F", "..%2F..", "a%2F..%2F..%2Fv1", "%5C..%5Cx", "..;x", "%252e%252e")) {
        addPath(op, "path-trick", in + "is '" + value + "'", name, value);
      }
    }
    for (String value : List.of("%ff", "%c0%af", "%ed%a0%80", "%e2%82", "%f4%90%80%80", "%zz", "a%")) {
      addPath(op, "invalid-utf8", in + "is '" + value + "'", name, value);
    }
    if (restricted) {
      for (String value : List.of("a%e2%80%aeb", "a%f0%9f%98%80", "%ef%bb%bfa1", "%d0%b01", "a%cc%81", "a%e2%80%8db", "%ef%bd%81")) {
        addPath(op, "edge-unicode", in + "is '" + value + "'", name, value);
      }
      addPath(op, "out-of-range", in + "has upper case", name, world.pathValues().get(name).toUpperCase());
    }
    for (String value : List.of("%1b", "a%0ab", "%7f", "a%09b", "%0d%0a")) {
      addPath(op, "control-char", in + "is '" + value + "'", name, value);
    }
    addPath(op, "control-char", in + "is blank ('%20%20')", name, "%20%20");
    int over = schema.getInteger("maxLength", restricted ? 40 : 200) + 1;
    addPath(op, "long-name", in + "is " + over + " characters", name, "a".repeat(over));
    for (int length : new int[] {3_000, 5_000, 13_000}) {
      addPath(op, "long-name", in + "is " + length + " characters", name, "a".repeat(length));
    }
  }

  private void addPath(Op op, String category, String description, String parameter, String value) {
    add(op, category, description, request(op.method(), target(op, parameter, value, null), op.key(), baseBody(op)));
  }

  /** Raw bytes in the request target, which no client sends unencoded. */
  private void rawTarget(Op op) {
    String target = target(op, null, null, null);
    addRaw(op, "control-char", "a raw tab in the target", target + "\tx");
    addRaw(op, "control-char", "a raw NUL in the target", target + "\u0000");
    addRaw(op, "edge-unicode", "a raw (unencoded) RTL mark in the target", target + "\u202e");
    addRaw(op, "path-trick", "the target starts with //", "/" + target);
    addRaw(op, "path-trick", "the target ends with /..", target + "/..");
    addRaw(op, "path-trick", "the target is absolute-form", "http://127.0.0.1:1" + target);
  }

  private void addRaw(Op op, String category, String description, String target) {
    add(op, category, description, request(op.method(), target, op.key(), baseBody(op)));
  }

  // ---- query parameters ----

  private void queryParameter(Op op, JsonObject parameter) {
    String name = parameter.getString("name");
    JsonObject schema = deref(parameter.getJsonObject("schema"));
    String in = "query parameter '" + name + "' ";
    String type = schema.getString("type", "");
    if (type.equals("integer")) {
      for (String value : List.of("abc", "1.5", "1e3", "0x10", "NaN", "99999999999999999999", "-99999999999999999999", "", "%00")) {
        addQuery(op, value.equals("%00") ? "control-char" : "out-of-range", in + "is '" + value + "'", name + "=" + value);
      }
      if (schema.containsKey("minimum")) {
        addQuery(op, "out-of-range", in + "is below its minimum", name + "=" + (schema.getLong("minimum") - 1));
      }
      if (schema.containsKey("maximum")) {
        addQuery(op, "out-of-range", in + "is above its maximum", name + "=" + (schema.getLong("maximum") + 1));
      }
      addQuery(op, "wrong-type", in + "is given twice", name + "=1&" + name + "=1");
    } else if (type.equals("string")) {
      addQuery(op, "control-char", in + "holds a NUL", name + "=a%00b");
      addQuery(op, "wrong-type", in + "is given twice", name + "=a&" + name + "=a");
    }
    for (String value : List.of("%ff", "%ed%a0%80", "%zz", "%c0%af")) {
      addQuery(op, "invalid-utf8", in + "is '" + value + "'", name + "=" + value);
    }
  }

  private void addQuery(Op op, String category, String description, String query) {
    add(op, category, description, request(op.method(), target(op, null, null, query), op.key(), baseBody(op)));
  }

  // ---- bodies ----

  private void bodyCases(Op op) {
    JsonObject schema = op.bodySchema();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    String first = properties.isEmpty() ? "a" : properties.fieldNames().iterator().next();
    for (String text : List.of("{", "{\"a\":}", "{'a':1}", "{a:1}", "/*c*/{}", "{}//c", "{\"a\":1,}", "{} {}", "nul",
        "{\"" + first + "\":NaN}", "{\"" + first + "\":Infinity}", "{\"" + first + "\":01}", "{\"" + first + "\" 1}", "[",
        "{\"" + first + "\":\"x\",\"" + first + "\":\"y\"}", "\"unterminated")) {
      addBody(op, "malformed-json", "the body is " + text, text.getBytes(StandardCharsets.UTF_8));
    }
    addBody(op, "malformed-json", "the body starts with a byte order mark", Bytes.concat(Bytes.of(0xef, 0xbb, 0xbf), Bytes.utf8("{}")));
    for (String text : List.of("[]", "\"x\"", "1", "true", "null")) {
      addBody(op, "wrong-type", "the body is " + text + ", not an object", Bytes.utf8(text));
    }
    JsonArray required = schema.getJsonArray("required", new JsonArray());
    for (Object name : required) {
      JsonObject body = baseBody(op).copy();
      body.remove((String) name);
      addBody(op, "missing-field", "required '" + name + "' is missing", Bytes.utf8(body.encode()));
    }
    if (op.bodyRequired()) {
      add(op, "missing-field", "no body at all", request(op.method(), target(op, null, null, null), op.key(), null, null));
      add(op, "missing-field", "an empty body said to be JSON", request(op.method(), target(op, null, null, null), op.key(), "application/json", new byte[0]));
    }
    for (String extra : List.of("extra", "__proto__", first.toUpperCase(), "", first + "\\u0000")) {
      if (properties.containsKey(extra)) {
        continue;
      }
      addBody(op, "extra-field", "an unknown property '" + extra + "'", splice(baseBody(op).put(MARK, 1).encode().replace("\"" + MARK + "\"", "\"" + extra + "\""), null));
    }
    addBody(op, "huge-body", "a body over the size limit", Bytes.utf8(new JsonObject().put(first, "x".repeat(OVER_BODY_LIMIT)).encode()));
    JsonObject many = baseBody(op).copy();
    for (int i = 0; i < 10_000; i++) {
      many.put("p" + i, i);
    }
    addBody(op, "huge-body", "10,000 unknown properties", Bytes.utf8(many.encode()));
    add(op, "huge-body", "Content-Length of 1 GB with no body sent",
        request(op.method(), target(op, null, null, null), op.key(), "application/json", null, "Content-Length: 1000000000"));
    addBody(op, "deep-nesting", "the body is 100,000 arrays deep", Bytes.utf8("[".repeat(100_000) + "]".repeat(100_000)));
    addBody(op, "deep-nesting", "the body is 10,000 objects deep", Bytes.utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
    for (String type : List.of("text/plain", "application/jsonx", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=latin1", "text/json", "application/xml", "application/json, text/plain")) {
      add(op, "content-type", "Content-Type: " + type,
          request(op.method(), target(op, null, null, null), op.key(), type, Bytes.utf8(baseBody(op).encode())));
    }
    add(op, "content-type", "a JSON body without Content-Type",
        request(op.method(), target(op, null, null, null), op.key(), null, Bytes.utf8(baseBody(op).encode())));
    for (String name : properties.fieldNames()) {
      property(op, name, deref(properties.getJsonObject(name)));
    }
    for (String description : world.staleBodies().getOrDefault(op.id(), Map.of()).keySet()) {
      addBody(op, "replayed-or-expired-key", description, Bytes.utf8(world.staleBodies().get(op.id()).get(description).encode()));
    }
  }

  /** Every value the property's schema refuses, in an otherwise valid body. */
  private void property(Op op, String name, JsonObject schema) {
    Object type = schema.getValue("type");
    boolean nullable = type instanceof JsonArray types && types.contains("null");
    String kind = type instanceof JsonArray types ? types.getString(0) : (String) type;
    String in = "property '" + name + "' ";
    List<String> wrong = switch (kind == null ? "" : kind) {
      case "string" -> List.of("1", "true", "{}", "[\"x\"]", "1.5");
      case "integer" -> List.of("\"1\"", "true", "{}", "[1]", "\"x\"");
      case "boolean" -> List.of("\"true\"", "1", "0", "[]", "{}");
      case "array" -> List.of("\"x\"", "{}", "1", "[1]", "[null]", "[[\"x\"]]");
      default -> List.of();
    };
    for (String value : wrong) {
      addProperty(op, "wrong-type", in + "is " + value, name, Bytes.utf8(value));
    }
    if (kind != null && !nullable) {
      addProperty(op, "wrong-type", in + "is null", name, Bytes.utf8("null"));
    }
    addProperty(op, "deep-nesting", in + "is 33 arrays deep", name, Bytes.utf8("[".repeat(33) + "]".repeat(33)));
    addProperty(op, "deep-nesting", in + "is 5,000 objects deep", name, Bytes.utf8("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
    if ("integer".equals(kind)) {
      integer(op, name, schema);
      return;
    }
    if ("array".equals(kind)) {
      JsonObject items = deref(schema.getJsonObject("items", new JsonObject()));
      if (schema.containsKey("maxItems")) {
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i <= schema.getInteger("maxItems"); i++) {
          tooMany.add(String.valueOf(validValue(items, name)) + i);
        }
        addProperty(op, "out-of-range", in + "has " + tooMany.size() + " items", name, Bytes.utf8(tooMany.encode()));
      }
      if (schema.getInteger("minItems", 0) > 0) {
        addProperty(op, "out-of-range", in + "is empty", name, Bytes.utf8("[]"));
      }
      if (items.containsKey("maxLength")) {
        addProperty(op, "out-of-range", in + "has an item over its length", name,
            Bytes.utf8(new JsonArray().add("a".repeat(items.getInteger("maxLength") + 1)).encode()));
      }
      addProperty(op, "edge-unicode", in + "has an item with a lone surrogate", name, Bytes.utf8("[\"a\\ud800\"]"));
      addProperty(op, "invalid-utf8", in + "has an item with byte 0xff", name, Bytes.concat(Bytes.utf8("[\"a"), Bytes.of(0xff), Bytes.utf8("\"]")));
      addProperty(op, "edge-unicode", in + "has an item with a NUL", name, Bytes.utf8("[\"a\\u0000b\"]"));
      return;
    }
    if (kind != null && !"string".equals(kind)) {
      return;
    }
    // a string, or any JSON value (which a string is): what no string may hold
    for (String value : List.of("\"\\ud800\"", "\"a\\udc00\"", "\"\\ud83d x\"", "\"x\\u0000y\"")) {
      addProperty(op, "edge-unicode", in + "is " + value, name, Bytes.utf8(value));
    }
    addProperty(op, "invalid-utf8", in + "holds byte 0xff", name, Bytes.concat(Bytes.utf8("\"a"), Bytes.of(0xff), Bytes.utf8("\"")));
    addProperty(op, "invalid-utf8", in + "holds an overlong '/'", name, Bytes.concat(Bytes.utf8("\"a"), Bytes.of(0xc0, 0xaf), Bytes.utf8("\"")));
    addProperty(op, "invalid-utf8", in + "holds an encoded surrogate", name, Bytes.concat(Bytes.utf8("\"a"), Bytes.of(0xed, 0xa0, 0x80), Bytes.utf8("\"")));
    addProperty(op, "invalid-utf8", in + "holds a cut sequence", name, Bytes.concat(Bytes.utf8("\"a"), Bytes.of(0xe2, 0x82), Bytes.utf8("\"")));
    for (int control : new int[] {0x01, 0x0a, 0x1b}) {
      addProperty(op, "control-char", in + "holds raw byte 0x" + Integer.toHexString(control), name,
          Bytes.concat(Bytes.utf8("\"a"), Bytes.of(control), Bytes.utf8("b\"")));
    }
    if (kind == null) {
      addProperty(op, "huge-body", in + "is a 200 KB string", name, Bytes.utf8("\"" + "x".repeat(HUGE_STRING) + "\""));
      return;
    }
    if (restricted(schema)) {
      for (String value : List.of("a\u202eb", "a\ud83d\ude00", "a\u200db", "\ufeffa1", "\uff41", "\u04301", "a\u0301", "a\u00a0b")) {
        addProperty(op, "edge-unicode", in + "is " + escaped(value), name, Bytes.utf8(JsonArray.of(value).encode().replaceAll("^\\[|]$", "")));
      }
      for (String value : List.of("\"a\\u001bb\"", "\"a\\tb\"", "\"a\\nb\"", "\"a\\u007f\"", "\"a\\u0085\"")) {
        addProperty(op, "control-char", in + "is " + value, name, Bytes.utf8(value));
      }
      for (String value : List.of("..", "../a1", "a/b", "%2e%2e", "a1%00", "")) {
        addProperty(op, "path-trick", in + "is '" + value + "'", name, Bytes.utf8(JsonArray.of(value).encode().replaceAll("^\\[|]$", "")));
      }
      if (schema.containsKey("enum")) {
        addProperty(op, "out-of-range", in + "is not one of its values", name, Bytes.utf8("\"bogus\""));
        addProperty(op, "out-of-range", in + "is its first value in upper case", name,
            Bytes.utf8("\"" + schema.getJsonArray("enum").getString(0).toUpperCase() + "\""));
      } else {
        int over = schema.getInteger("maxLength", 40) + 1;
        addProperty(op, "long-name", in + "is " + over + " characters", name, Bytes.utf8("\"" + "a".repeat(over) + "\""));
        addProperty(op, "long-name", in + "is 10,000 characters", name, Bytes.utf8("\"" + "a".repeat(10_000) + "\""));
      }
    } else if (schema.containsKey("maxLength")) {
      int over = schema.getInteger("maxLength") + 1;
      addProperty(op, "out-of-range", in + "is " + over + " characters", name, Bytes.utf8("\"" + "a".repeat(over) + "\""));
      addProperty(op, "out-of-range", in + "is " + over + " emoji (" + 2 * over + " UTF-16 units)", name,
          Bytes.utf8("\"" + "\ud83d\ude00".repeat(over) + "\""));
    } else {
      addProperty(op, "huge-body", in + "is a 200 KB string", name, Bytes.utf8("\"" + "x".repeat(HUGE_STRING) + "\""));
    }
    if (schema.getInteger("minLength", 0) > 0) {
      addProperty(op, "out-of-range", in + "is empty", name, Bytes.utf8("\"\""));
    }
  }

  private void integer(Op op, String name, JsonObject schema) {
    String in = "property '" + name + "' ";
    if (schema.containsKey("minimum")) {
      addProperty(op, "out-of-range", in + "is below its minimum", name, Bytes.utf8(Long.toString(schema.getLong("minimum") - 1)));
    }
    if (schema.containsKey("maximum")) {
      addProperty(op, "out-of-range", in + "is above its maximum", name, Bytes.utf8(Long.toString(schema.getLong("maximum") + 1)));
    }
    for (String value : List.of("9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1e400", "-1e400",
        "1.5", "1e-400")) {
      addProperty(op, "out-of-range", in + "is " + value, name, Bytes.utf8(value));
    }
  }

  private void addProperty(Op op, String category, String description, String name, byte[] fragment) {
    addBody(op, category, description, splice(baseBody(op).put(name, MARK).encode(), fragment));
  }

  private void addBody(Op op, String category, String description, byte[] body) {
    add(op, category, description, request(op.method(), target(op, null, null, null), op.key(), "application/json", body));
  }

  /** A body where the operation takes none: still refused when it is not strict JSON or not JSON at all. */
  private void unwantedBody(Op op) {
    String target = target(op, null, null, null);
    for (String text : List.of("{", "/*c*/{}", "{\"a\":NaN}", "{\"a\":\"\\ud800\"}")) {
      add(op, text.contains("ud800") ? "edge-unicode" : "malformed-json", "an unexpected body " + text,
          request(op.method(), target, op.key(), "application/json", Bytes.utf8(text)));
    }
    add(op, "invalid-utf8", "an unexpected body with byte 0xff", request(op.method(), target, op.key(), "application/json",
        Bytes.concat(Bytes.utf8("{\"a\":\""), Bytes.of(0xff), Bytes.utf8("\"}"))));
    add(op, "deep-nesting", "an unexpected body 100,000 arrays deep",
        request(op.method(), target, op.key(), "application/json", Bytes.utf8("[".repeat(100_000) + "]".repeat(100_000))));
    add(op, "huge-body", "an unexpected body over the size limit",
        request(op.method(), target, op.key(), "application/json", Bytes.utf8("\"" + "x".repeat(OVER_BODY_LIMIT) + "\"")));
    for (String type : List.of("multipart/form-data; boundary=x", "text/plain")) {
      add(op, "content-type", "an unexpected body of " + type,
          request(op.method(), target, op.key(), type, Bytes.utf8("--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\nhi\r\n--x--\r\n")));
    }
  }

  // ---- keys ----

  private void keys(Op op) {
    if (op.isPublic()) {
      return;
    }
    String target = target(op, null, null, null);
    aboutKeys = true;
    for (Map.Entry<String, String> stale : world.staleKeys().entrySet()) {
      add(op, "replayed-or-expired-key", stale.getKey(), request(op.method(), target, stale.getValue(), baseBody(op)));
    }
    add(op, "replayed-or-expired-key", "no key", request(op.method(), target, null, baseBody(op)));
    add(op, "replayed-or-expired-key", "a Basic credential", requestWith(op, target, "Authorization: Basic " + "bWM6eA=="));
    add(op, "replayed-or-expired-key", "Bearer with nothing after it", requestWith(op, target, "Authorization: Bearer "));
    add(op, "replayed-or-expired-key", "a working key, then a revoked one, in two Authorization headers",
        requestWith(op, target, "Authorization: Bearer " + op.key(), "Authorization: Bearer " + world.staleKeys().values().iterator().next()));
    add(op, "control-char", "a control character in the key", requestWith(op, target, "Authorization: Bearer " + op.key() + "\u0001"));
    add(op, "long-name", "a 6,000-character key", requestWith(op, target, "Authorization: Bearer mc_" + "a".repeat(6_000)));
    add(op, "long-name", "a 9,000-character key", requestWith(op, target, "Authorization: Bearer mc_" + "a".repeat(9_000)));
    add(op, "long-name", "a 20,000-character key", requestWith(op, target, "Authorization: Bearer mc_" + "a".repeat(20_000)));
    aboutKeys = false;
  }

  private byte[] requestWith(Op op, String target, String... headerLines) {
    JsonObject body = baseBody(op);
    return request(op.method(), target, null, body == null ? null : "application/json", body == null ? null : Bytes.utf8(body.encode()), headerLines);
  }

  // ---- building requests ----

  private void add(Op op, String category, String description, byte[] request) {
    cases.add(new Case(op.id(), category, description, request, aboutKeys));
    perOperation.merge(op.id(), 1, Integer::sum);
  }

  /** The operation's path with each parameter's live value, {@code parameter} replaced by {@code value} (already encoded). */
  private String target(Op op, String parameter, String value, String query) {
    StringBuilder target = new StringBuilder();
    for (String segment : op.path().split("/", -1)) {
      if (!target.isEmpty() || !segment.isEmpty()) {
        target.append('/');
      }
      if (segment.startsWith("{")) {
        String name = segment.substring(1, segment.length() - 1);
        target.append(name.equals(parameter) ? value : world.pathValues().get(name));
      } else {
        target.append(segment);
      }
    }
    return query == null ? target.toString() : target + "?" + query;
  }

  private static byte[] request(String method, String target, String key, JsonObject body) {
    return request(method, target, key, body == null ? null : "application/json", body == null ? null : Bytes.utf8(body.encode()));
  }

  private static byte[] request(String method, String target, String key, String contentType, byte[] body, String... headerLines) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if (key != null) {
      head.append("Authorization: Bearer ").append(key).append("\r\n");
    }
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    boolean lengthGiven = false;
    for (String line : headerLines) {
      head.append(line).append("\r\n");
      lengthGiven |= line.startsWith("Content-Length:");
    }
    if (body != null && !lengthGiven) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    return body == null ? headBytes : Bytes.concat(headBytes, body);
  }

  /** A valid body: each required property with a value its schema takes (null when the operation has no body). */
  private JsonObject baseBody(Op op) {
    if (op.bodySchema() == null) {
      return null;
    }
    JsonObject body = new JsonObject();
    JsonObject properties = op.bodySchema().getJsonObject("properties", new JsonObject());
    for (Object name : op.bodySchema().getJsonArray("required", new JsonArray())) {
      body.put((String) name, validValue(deref(properties.getJsonObject((String) name)), (String) name));
    }
    return body;
  }

  private Object validValue(JsonObject schema, String name) {
    Object type = schema.getValue("type");
    String kind = type instanceof JsonArray types ? types.getString(0) : (String) type;
    if (schema.containsKey("enum")) {
      return schema.getJsonArray("enum").getValue(0);
    }
    return switch (kind == null ? "string" : kind) {
      case "integer" -> schema.getInteger("minimum", 1);
      case "boolean" -> true;
      case "array" -> new JsonArray().add(validValue(deref(schema.getJsonObject("items", new JsonObject())), name));
      default -> schema.containsKey("pattern") ? "hostile-" + name.replace('_', '-') : "x";
    };
  }

  /** Strings a pattern, enum or length limit confines to a small alphabet: names, ids, choices. */
  private static boolean restricted(JsonObject schema) {
    return schema.containsKey("pattern") || schema.containsKey("enum");
  }

  /** {@code json} (a body with {@link #MARK} as one value) with that value replaced by {@code fragment}. */
  private static byte[] splice(String json, byte[] fragment) {
    if (fragment == null) {
      return Bytes.utf8(json);
    }
    int at = json.indexOf("\"" + MARK + "\"");
    return Bytes.concat(Bytes.utf8(json.substring(0, at)), fragment, Bytes.utf8(json.substring(at + MARK.length() + 2)));
  }

  private JsonObject deref(JsonObject node) {
    JsonObject current = node;
    while (current != null && current.containsKey("$ref")) {
      JsonObject target = contract;
      for (String part : current.getString("$ref").substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      current = target;
    }
    return current;
  }

  private static String escaped(String value) {
    StringBuilder text = new StringBuilder();
    value.chars().forEach(c -> text.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return text.toString();
  }
}
