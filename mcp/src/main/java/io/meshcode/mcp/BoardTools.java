package io.meshcode.mcp;

import static io.meshcode.mcp.ToolSpec.choice;
import static io.meshcode.mcp.ToolSpec.integer;
import static io.meshcode.mcp.ToolSpec.string;
import static io.meshcode.mcp.ToolSpec.strings;
import static io.meshcode.mcp.ToolSpec.stringOrList;
import static io.meshcode.mcp.ToolSpec.tool;
import static io.meshcode.mcp.MessageTools.putIfPresent;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The task board and file reservations. */
final class BoardTools {

  static final List<String> STATUSES = List.of("todo", "in_progress", "blocked", "review", "done", "cancelled");
  static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");

  private final Gateway gateway;

  BoardTools(Gateway gateway) {
    this.gateway = gateway;
  }

  List<ToolSpec> tools() {
    return List.of(
        tool("meshcode_tasks", "List the task board.")
            .optional("status", choice(null, STATUSES))
            .optional("assignee", string(null))
            .handler(this::list),
        tool("meshcode_task_create", "Create a task.")
            .required("title", string(null))
            .optional("description", string(null))
            .optional("assignee", string(null))
            .optional("priority", choice(null, PRIORITIES))
            .handler(this::create),
        tool("meshcode_task_update", "Update a task's status, progress or assignee, with an optional note.")
            .required("id", string(null))
            .optional("status", choice(null, STATUSES))
            .optional("progress", integer("0-100"))
            .optional("assignee", string(null))
            .optional("note", string(null))
            .handler(this::update),
        tool("meshcode_task_claim", "Assign a task to yourself and start it.")
            .required("id", string(null))
            .handler(call -> task(gateway.post(gateway.agentPath("tasks", id(call), "claim"), null))),
        tool("meshcode_reserve", "Reserve files (paths or globs) you are changing, so others keep off.")
            .required("paths", stringOrList(null))
            .required("reason", string(null))
            .optional("ttl_seconds", integer("10-86400, default 1800"))
            .handler(this::reserve),
        tool("meshcode_release", "Release your reservations: these paths, or all.")
            .optional("paths", strings(null))
            .handler(this::release));
  }

  private ObjectNode list(ToolCall call) {
    String status = call.args().optionalChoice("status", STATUSES);
    String assignee = call.args().optionalName("assignee");
    return Json.ok(gateway.get(Gateway.query(gateway.meshworkPath("tasks"), Gateway.params("status", status, "assignee", assignee))));
  }

  private ObjectNode create(ToolCall call) {
    Args args = call.args();
    ObjectNode body = Json.object().put("title", args.requiredString("title", 200));
    putIfPresent(body, "description", args.optionalString("description", 10_000));
    putIfPresent(body, "assignee", args.optionalName("assignee"));
    putIfPresent(body, "priority", args.optionalChoice("priority", PRIORITIES));
    return task(gateway.post(gateway.agentPath("tasks"), body));
  }

  private ObjectNode update(ToolCall call) {
    Args args = call.args();
    String id = id(call);
    ObjectNode body = Json.object();
    putIfPresent(body, "status", args.optionalChoice("status", STATUSES));
    Integer progress = args.optionalInt("progress", 0, 100);
    if (progress != null) {
      body.put("progress", progress);
    }
    putIfPresent(body, "assignee", args.optionalName("assignee"));
    putIfPresent(body, "note", args.optionalString("note", 500));
    if (body.isEmpty()) {
      throw ToolError.invalid("nothing to update: give status, progress, assignee or note");
    }
    return task(gateway.patch(gateway.agentPath("tasks", id), body));
  }

  private ObjectNode reserve(ToolCall call) {
    Args args = call.args();
    ObjectNode body = Json.object();
    args.requiredList("paths", false, 50, 500).forEach(body.putArray("paths")::add);
    body.put("reason", args.requiredString("reason", 500));
    Integer ttl = args.optionalInt("ttl_seconds", 10, 86_400);
    if (ttl != null) {
      body.put("ttl_seconds", ttl);
    }
    return Json.ok(gateway.post(gateway.agentPath("reservations"), body));
  }

  private ObjectNode release(ToolCall call) {
    List<String> paths = call.args().optionalList("paths", false, 50, 500);
    String path = gateway.agentPath("reservations");
    if (paths != null) {
      StringBuilder query = new StringBuilder();
      for (String p : paths) {
        query.append(query.length() == 0 ? "?" : "&").append(Gateway.query("", Map.of("paths", p)).substring(1));
      }
      path += query;
    }
    return Json.ok(gateway.delete(path));
  }

  private static String id(ToolCall call) {
    return call.args().requiredString("id", 100);
  }

  /** A task answer as {@code {ok, task}}. */
  private static ObjectNode task(JsonNode task) {
    ObjectNode result = Json.ok();
    result.set("task", task);
    return result;
  }
}
