package io.meshcode.mcp;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;

/**
 * The SDK's JSON Schema validator, left out: the tools check their own arguments (with messages
 * an agent can act on) and declare no output schema, so it would have nothing to do, and its
 * default (networknt, about 250 classes) costs start-up time in every editor window.
 * {@code ToolCatalogTest} checks the tools' input schemas against JSON Schema instead.
 */
final class NoSchemaValidation implements JsonSchemaValidator {

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
    return ValidationResponse.asValid(null);
  }
}
