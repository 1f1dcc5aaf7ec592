package io.meshcode.core.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's JSON object body, read field by field. Every problem is a 400 whose message names
 * the field, and it is found before anything is stored: unknown fields, wrong types, lengths,
 * control characters.
 */
public final class JsonInput {

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");

  private final JsonObject body;

  private JsonInput(JsonObject body) {
    this.body = body;
  }

  /** The body, which must be a JSON object holding no field but {@code allowed}. An empty body reads as {}. */
  public static JsonInput of(RoutingContext ctx, String... allowed) {
    String raw = ctx.body() == null ? null : ctx.body().asString();
    JsonObject body;
    if (raw == null || raw.isBlank()) {
      body = new JsonObject();
    } else {
      try {
        Object parsed = io.vertx.core.json.Json.decodeValue(raw);
        if (!(parsed instanceof JsonObject object)) {
          throw ApiException.badRequest("the request body must be a JSON object");
        }
        body = object;
      } catch (DecodeException e) {
        throw ApiException.badRequest("the request body is not valid JSON");
      }
    }
    return of(body, allowed);
  }

  /** {@code body}, which must hold no field but {@code allowed}. */
  public static JsonInput of(JsonObject body, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String field : body.fieldNames()) {
      if (!known.contains(field)) {
        throw ApiException.badRequest("unknown field '" + field + "'" + (known.isEmpty() ? "" : "; expected " + String.join(", ", allowed)));
      }
    }
    return new JsonInput(body);
  }

  /** A field's value as parsed (a String, Number, Boolean, JsonObject or JsonArray), for fields of more than one type; null if absent or null. */
  public Object value(String field) {
    return body.getValue(field);
  }

  public String requiredString(String field, int maxLength) {
    return optionalString(field, maxLength).orElseThrow(() -> ApiException.badRequest("'" + field + "' is required"));
  }

  /** A string of at most {@code maxLength} characters without control characters (newlines and tabs allowed). */
  public Optional<String> optionalString(String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw ApiException.badRequest("'" + field + "' must be a string");
    }
    if (text.length() > maxLength) {
      throw ApiException.badRequest("'" + field + "' must be at most " + maxLength + " characters");
    }
    if (CONTROL.matcher(text).find()) {
      throw ApiException.badRequest("'" + field + "' must not contain control characters");
    }
    return Optional.of(text);
  }

  /** A name that must match {@code pattern}; {@code rule} says the rule in words for the error. */
  public String requiredName(String field, Pattern pattern, String rule) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiException.badRequest("'" + field + "' is required");
    }
    if (!(value instanceof String text)) {
      throw ApiException.badRequest("'" + field + "' must be a string");
    }
    if (!pattern.matcher(text).matches()) {
      throw ApiException.badRequest("'" + field + "' " + rule);
    }
    return text;
  }

  public OptionalInt optionalInt(String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!(value instanceof Integer || value instanceof Long) ) {
      throw ApiException.badRequest("'" + field + "' must be a whole number");
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw ApiException.badRequest("'" + field + "' must be between " + min + " and " + max);
    }
    return OptionalInt.of((int) number);
  }

  public Optional<Boolean> optionalBoolean(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Boolean flag)) {
      throw ApiException.badRequest("'" + field + "' must be true or false");
    }
    return Optional.of(flag);
  }
}
