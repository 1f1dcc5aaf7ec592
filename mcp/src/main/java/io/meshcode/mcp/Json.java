package io.meshcode.mcp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the server (Jackson 3, as the MCP SDK uses) and the result shapes. */
final class Json {

  /** The MCP SDK's own mapper too ({@code JacksonMcpJsonMapperSupplier}): one mapper to set up at start. */
  static final JsonMapper MAPPER = JsonMapper.shared();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** {@code {"ok":true}}, for the handler to add to. */
  static ObjectNode ok() {
    return object().put("ok", true);
  }

  /** {@code {"ok":true, …fields of body}}: a gateway answer passed through. */
  static ObjectNode ok(JsonNode body) {
    ObjectNode result = ok();
    if (body != null && body.isObject()) {
      body.properties().forEach(field -> {
        if (!field.getKey().equals("ok")) {
          result.set(field.getKey(), field.getValue());
        }
      });
    }
    return result;
  }

  static JsonNode parse(String text) {
    return MAPPER.readTree(text);
  }

  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /** A field's text, or null when absent, null or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
