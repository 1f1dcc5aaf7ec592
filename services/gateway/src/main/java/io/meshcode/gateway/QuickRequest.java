package io.meshcode.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An operation's {@link QuickSchema}s: its path and query parameters and its JSON body. It
 * accepts a request only when every part is certainly valid, and gives up (false) on anything it
 * would have to interpret the way vertx-openapi does to be sure: an escaped path or query, a
 * repeated or empty query parameter, a body that is not exactly {@code application/json}.
 */
final class QuickRequest {

  private static final String JSON = "application/json";

  private record Part(Parameter parameter, JsonObject schema, QuickSchema check) {}

  private final List<Part> parameters;
  private final QuickSchema body;
  private final boolean bodyRequired;

  private QuickRequest(List<Part> parameters, QuickSchema body, boolean bodyRequired) {
    this.parameters = parameters;
    this.body = body;
    this.bodyRequired = bodyRequired;
  }

  /** The quick check of {@code operation}, or null when a part of it is more than {@link QuickSchema} knows. */
  static QuickRequest of(Operation operation, JsonObject contract) {
    Function<String, JsonObject> refs = ref -> resolve(contract, ref);
    List<Part> parts = new ArrayList<>();
    for (Parameter parameter : operation.getParameters()) {
      JsonObject schema = follow(json(parameter.getSchema()), refs);
      QuickSchema check = schema == null ? null : QuickSchema.of(schema, refs);
      // A parameter arrives as text: only a string, or a whole number, is read the same way here.
      String type = schema == null ? null : schema.getString("type");
      if (check == null || !("string".equals(type) || "integer".equals(type))) {
        return null;
      }
      switch (parameter.getIn()) {
        case PATH, QUERY -> parts.add(new Part(parameter, schema, check));
        default -> {
          return null;
        }
      }
    }
    RequestBody requestBody = operation.getRequestBody();
    if (requestBody == null) {
      return new QuickRequest(parts, null, false);
    }
    MediaType json = requestBody.getContent().get(JSON);
    if (json == null || requestBody.getContent().size() != 1) {
      return null;
    }
    QuickSchema body = QuickSchema.of(json(json.getSchema()), refs);
    return body == null ? null : new QuickRequest(parts, body, requestBody.isRequired());
  }

  /** True when the request is certainly valid; false when the full validation must decide. */
  boolean accepts(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri.indexOf('%') >= 0 || uri.indexOf('+') >= 0) {
      return false;
    }
    for (Part part : parameters) {
      String name = part.parameter().getName();
      String text;
      if (part.parameter().getIn() == Location.PATH) {
        text = ctx.pathParam(name);
      } else {
        List<String> values = ctx.queryParams().getAll(name);
        if (values.size() > 1) {
          return false;
        }
        if (values.isEmpty()) {
          if (part.parameter().isRequired()) {
            return false;
          }
          continue;
        }
        text = values.get(0);
      }
      if (text == null || text.isEmpty()) {
        return false;
      }
      Object value = QuickSchema.parameterValue(part.schema(), text);
      if (value == null || !part.check().accepts(value)) {
        return false;
      }
    }
    if (body == null) {
      return true;
    }
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return !bodyRequired;
    }
    if (!JSON.equals(ctx.request().getHeader("Content-Type"))) {
      return false;
    }
    Object value;
    try {
      value = ctx.body().asJsonObject();
    } catch (RuntimeException notAnObject) {
      return false;
    }
    return value != null && body.accepts(value);
  }

  /** A schema of the parsed document as plain JSON. */
  static JsonObject json(JsonSchema schema) {
    if (schema == null) {
      return null;
    }
    JsonObject json = new JsonObject();
    for (String name : schema.fieldNames()) {
      json.put(name, (Object) schema.get(name));
    }
    return json;
  }

  /** A schema that is only a reference, followed to what it names. */
  private static JsonObject follow(JsonObject schema, Function<String, JsonObject> refs) {
    JsonObject current = schema;
    for (int i = 0; i < 8 && current != null && current.getValue("$ref") instanceof String ref; i++) {
      current = refs.apply(ref);
    }
    return current;
  }

  /** A local reference ({@code …#/components/schemas/Name}) in the document; null for any other. */
  static JsonObject resolve(JsonObject contract, String ref) {
    int hash = ref.indexOf('#');
    if (hash < 0) {
      return null;
    }
    try {
      Object found = JsonPointer.from(ref.substring(hash + 1)).queryJson(contract);
      return found instanceof JsonObject schema ? schema : null;
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }
}
