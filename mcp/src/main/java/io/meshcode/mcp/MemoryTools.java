package io.meshcode.mcp;

import static io.meshcode.mcp.ToolSpec.anyJson;
import static io.meshcode.mcp.ToolSpec.string;
import static io.meshcode.mcp.ToolSpec.tool;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** The agent's own memory, and the meshwork's shared scratchpad. */
final class MemoryTools {

  static final int KEY_MAX = 200;

  private final Gateway gateway;

  MemoryTools(Gateway gateway) {
    this.gateway = gateway;
  }

  List<ToolSpec> tools() {
    return List.of(
        tool("meshcode_remember", "Store a memory of yours under a key; it outlives this session.")
            .required("key", string(null))
            .required("value", anyJson(null))
            .handler(this::remember),
        tool("meshcode_recall", "Read one of your memories, or all of them without key.")
            .optional("key", string(null))
            .handler(this::recall),
        tool("meshcode_forget", "Delete one of your memories.")
            .required("key", string(null))
            .handler(call -> Json.ok(gateway.delete(gateway.agentPath("memory", key(call))))),
        tool("meshcode_scratchpad_set", "Set an entry of the scratchpad every agent shares.")
            .required("key", string(null))
            .required("value", anyJson(null))
            .handler(this::setEntry),
        tool("meshcode_scratchpad_get", "Read a scratchpad entry, or all without key.")
            .optional("key", string(null))
            .handler(this::getEntry));
  }

  private ObjectNode remember(ToolCall call) {
    String key = key(call);
    ObjectNode body = Json.object();
    body.set("value", call.args().requiredJson("value"));
    return Json.ok(gateway.put(gateway.agentPath("memory", key), body));
  }

  private ObjectNode recall(ToolCall call) {
    String key = call.args().optionalString("key", KEY_MAX);
    return Json.ok(gateway.get(key == null ? gateway.agentPath("memory") : gateway.agentPath("memory", key)));
  }

  private ObjectNode setEntry(ToolCall call) {
    String key = key(call);
    ObjectNode body = Json.object();
    body.set("value", call.args().requiredJson("value"));
    return Json.ok(gateway.put(gateway.meshworkPath("scratchpad", key), body));
  }

  private ObjectNode getEntry(ToolCall call) {
    String key = call.args().optionalString("key", KEY_MAX);
    return Json.ok(gateway.get(key == null ? gateway.meshworkPath("scratchpad") : gateway.meshworkPath("scratchpad", key)));
  }

  static String key(ToolCall call) {
    return call.args().requiredString("key", KEY_MAX);
  }
}
