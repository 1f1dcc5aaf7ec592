package io.meshcode.mcp;

import static io.meshcode.mcp.ToolSpec.anyJson;
import static io.meshcode.mcp.ToolSpec.string;
import static io.meshcode.mcp.ToolSpec.tool;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's own memory, and the meshwork's shared scratchpad. Both store strings; a value given
 * as other JSON is stored as its JSON text.
 */
final class MemoryTools {

  private final Gateway gateway;

  MemoryTools(Gateway gateway) {
    this.gateway = gateway;
  }

  List<ToolSpec> tools() {
    return List.of(
        tool("meshcode_remember", "Store a memory of yours under a key; it outlives this session.")
            .required("key", string(null))
            .required("value", anyJson("text; other JSON is kept as its JSON text"))
            .handler(this::remember),
        tool("meshcode_recall", "Read one of your memories, or all of them without key.")
            .optional("key", string(null))
            .handler(this::recall),
        tool("meshcode_forget", "Delete one of your memories.")
            .required("key", string(null))
            .handler(call -> Json.ok(gateway.delete(gateway.agentPath("memory", key(call))))),
        tool("meshcode_scratchpad_set", "Set an entry of the scratchpad every agent shares.")
            .required("key", string(null))
            .required("value", anyJson("text; other JSON is kept as its JSON text"))
            .handler(this::setEntry),
        tool("meshcode_scratchpad_get", "Read a scratchpad entry, or all without key.")
            .optional("key", string(null))
            .handler(this::getEntry));
  }

  private ObjectNode remember(ToolCall call) {
    String key = key(call);
    return Json.ok(gateway.put(gateway.agentPath("memory", key), Json.object().put("value", call.args().requiredValueText("value"))));
  }

  private ObjectNode recall(ToolCall call) {
    String key = call.args().optionalKey("key");
    return Json.ok(gateway.get(key == null ? gateway.agentPath("memory") : gateway.agentPath("memory", key)));
  }

  private ObjectNode setEntry(ToolCall call) {
    String key = key(call);
    return Json.ok(gateway.put(gateway.meshworkPath("scratchpad", key), Json.object().put("value", call.args().requiredValueText("value"))));
  }

  private ObjectNode getEntry(ToolCall call) {
    String key = call.args().optionalKey("key");
    return Json.ok(gateway.get(key == null ? gateway.meshworkPath("scratchpad") : gateway.meshworkPath("scratchpad", key)));
  }

  static String key(ToolCall call) {
    return call.args().requiredKey("key");
  }
}
