package io.meshcode.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A quick check of a value against a simple JSON schema, in plain code: true only when the value
 * is certainly valid, false when it may not be. On false the full validator decides, and words the
 * error, so a quick check never changes an answer: it only spares the JSON-schema interpreter the
 * requests that are plainly fine (most of them; the interpreter cost ~9 % of the mesh's CPU).
 *
 * <p>Built only from schemas made of the keywords it knows — {@code type} string (with
 * {@code enum}, {@code minLength}, {@code maxLength}, {@code pattern}), integer (with
 * {@code minimum}, {@code maximum}), boolean, object (with {@code properties}, {@code required},
 * {@code additionalProperties: false}) or array (with {@code items}, {@code minItems},
 * {@code maxItems}), a {@code $ref} to such a schema, or no constraint at all;
 * {@link #of} answers null for anything else. Where the interpreter's rules are subtle it gives up
 * rather than copy them: a length with a surrogate pair in the string, a number with a fraction.
 */
interface QuickSchema {

  boolean accepts(Object value);

  /** Keywords that never change whether a value is valid (vertx-openapi marks resolved schemas with {@code __absolute_uri__}). */
  Set<String> ANNOTATIONS = Set.of("description", "title", "example", "examples", "$comment", "__absolute_uri__");

  QuickSchema ANYTHING = value -> true;

  /** The quick check of {@code schema}, resolving {@code $ref}s with {@code refs}; null if the schema uses more than it knows. */
  static QuickSchema of(JsonObject schema, Function<String, JsonObject> refs) {
    return of(schema, refs, 0);
  }

  private static QuickSchema of(JsonObject schema, Function<String, JsonObject> refs, int depth) {
    if (schema == null || depth > 8) {
      return null;
    }
    Set<String> keywords = new HashSet<>(schema.fieldNames());
    keywords.removeAll(ANNOTATIONS);
    if (keywords.isEmpty()) {
      return ANYTHING;
    }
    if (keywords.equals(Set.of("$ref")) && schema.getValue("$ref") instanceof String ref) {
      return of(refs.apply(ref), refs, depth + 1);
    }
    if (!(schema.getValue("type") instanceof String type)) {
      return null;
    }
    return switch (type) {
      case "string" -> Set.of("type", "enum", "minLength", "maxLength", "pattern").containsAll(keywords) ? text(schema) : null;
      case "integer" -> Set.of("type", "minimum", "maximum").containsAll(keywords) ? integer(schema) : null;
      case "boolean" -> keywords.equals(Set.of("type")) ? value -> value instanceof Boolean : null;
      case "object" -> Set.of("type", "properties", "required", "additionalProperties").containsAll(keywords)
          ? object(schema, refs, depth) : null;
      case "array" -> Set.of("type", "items", "minItems", "maxItems").containsAll(keywords) ? array(schema, refs, depth) : null;
      default -> null;
    };
  }

  private static QuickSchema text(JsonObject schema) {
    Object enumValue = schema.getValue("enum");
    Set<String> allowed = null;
    if (enumValue != null) {
      if (!(enumValue instanceof JsonArray values) || !values.stream().allMatch(String.class::isInstance)) {
        return null;
      }
      allowed = new HashSet<>();
      for (Object value : values) {
        allowed.add((String) value);
      }
    }
    Integer min = schema.getInteger("minLength");
    Integer max = schema.getInteger("maxLength");
    // The interpreter's pattern keyword is java.util.regex, unanchored (find): the same here.
    Pattern pattern = schema.getString("pattern") == null ? null : Pattern.compile(schema.getString("pattern"));
    Set<String> members = allowed;
    return value -> {
      if (!(value instanceof String text)) {
        return false;
      }
      if (members != null && !members.contains(text)) {
        return false;
      }
      if ((min != null || max != null) && hasSurrogate(text)) {
        return false;
      }
      if ((min != null && text.length() < min) || (max != null && text.length() > max)) {
        return false;
      }
      return pattern == null || pattern.matcher(text).find();
    };
  }

  private static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static QuickSchema integer(JsonObject schema) {
    if ((schema.containsKey("minimum") && !(schema.getValue("minimum") instanceof Number))
        || (schema.containsKey("maximum") && !(schema.getValue("maximum") instanceof Number))) {
      return null;
    }
    Number min = (Number) schema.getValue("minimum");
    Number max = (Number) schema.getValue("maximum");
    return value -> {
      if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
        return false;
      }
      long number = ((Number) value).longValue();
      return (min == null || number >= min.doubleValue()) && (max == null || number <= max.doubleValue());
    };
  }

  private static QuickSchema object(JsonObject schema, Function<String, JsonObject> refs, int depth) {
    Object additional = schema.getValue("additionalProperties");
    if (additional != null && !Boolean.FALSE.equals(additional)) {
      return null;
    }
    Map<String, QuickSchema> properties = new HashMap<>();
    Object declared = schema.getValue("properties");
    if (declared != null) {
      if (!(declared instanceof JsonObject map)) {
        return null;
      }
      for (String name : map.fieldNames()) {
        QuickSchema property = map.getValue(name) instanceof JsonObject child ? of(child, refs, depth + 1) : null;
        if (property == null) {
          return null;
        }
        properties.put(name, property);
      }
    }
    List<String> required = new ArrayList<>();
    Object names = schema.getValue("required");
    if (names != null) {
      if (!(names instanceof JsonArray list) || !list.stream().allMatch(String.class::isInstance)) {
        return null;
      }
      list.forEach(name -> required.add((String) name));
    }
    boolean closed = additional != null;
    return value -> {
      if (!(value instanceof JsonObject object)) {
        return false;
      }
      for (String name : required) {
        if (!object.containsKey(name)) {
          return false;
        }
      }
      for (Map.Entry<String, Object> field : object) {
        QuickSchema property = properties.get(field.getKey());
        if (property == null ? closed : !property.accepts(field.getValue())) {
          return false;
        }
      }
      return true;
    };
  }

  private static QuickSchema array(JsonObject schema, Function<String, JsonObject> refs, int depth) {
    if ((schema.containsKey("minItems") && !(schema.getValue("minItems") instanceof Integer))
        || (schema.containsKey("maxItems") && !(schema.getValue("maxItems") instanceof Integer))) {
      return null;
    }
    Object declared = schema.getValue("items");
    QuickSchema items = declared == null ? ANYTHING : declared instanceof JsonObject child ? of(child, refs, depth + 1) : null;
    if (items == null) {
      return null;
    }
    Integer min = schema.getInteger("minItems");
    Integer max = schema.getInteger("maxItems");
    return value -> {
      if (!(value instanceof JsonArray list)) {
        return false;
      }
      if ((min != null && list.size() < min) || (max != null && list.size() > max)) {
        return false;
      }
      for (Object item : list) {
        if (!items.accepts(item)) {
          return false;
        }
      }
      return true;
    };
  }

  /** A parameter's text as the interpreter would see it for {@code schema}'s type: the string, or a plain whole number; null when unsure. */
  static Object parameterValue(JsonObject schema, String text) {
    if (!"integer".equals(schema.getString("type"))) {
      return text;
    }
    boolean plain = text.length() <= 18 && !(text.length() > 1 && text.charAt(0) == '0');
    for (int i = 0; plain && i < text.length(); i++) {
      plain = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    return plain ? Long.parseLong(text) : null;
  }
}
