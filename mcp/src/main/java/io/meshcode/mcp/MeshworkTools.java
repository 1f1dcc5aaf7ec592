package io.meshcode.mcp;

import static io.meshcode.mcp.ToolSpec.anyJson;
import static io.meshcode.mcp.ToolSpec.string;
import static io.meshcode.mcp.ToolSpec.tool;
import static io.meshcode.mcp.MessageTools.putIfPresent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Who is on the team and what they do; setting up meshworks and agents (owner keys). */
final class MeshworkTools {

  private static final Logger LOG = LoggerFactory.getLogger(MeshworkTools.class);

  private final Gateway gateway;

  MeshworkTools(Gateway gateway) {
    this.gateway = gateway;
  }

  List<ToolSpec> tools() {
    return List.of(
        tool("meshcode_status", "Every agent: role, status (online, waiting, working, idle, offline), last seen, current task.")
            .handler(call -> status()),
        tool("meshcode_create_meshwork", "Create a new meshwork (owner key). Tell the user the answer's next_step.")
            .required("name", string(null))
            .handler(this::createMeshwork),
        tool("meshcode_add_agent", "Add an agent to this meshwork (owner key). Tell the user the answer's next_step.")
            .required("name", string(null))
            .required("role", string(null))
            .handler(this::addAgent),
        tool("meshcode_edit_agent", "Change an agent's role or launch prompt (owner key).")
            .required("name", string(null))
            .optional("role", string(null))
            .optional("launch_prompt", string(null))
            .handler(this::editAgent),
        tool("meshcode_edit_memory", "Set a memory of another agent (owner key).")
            .required("agent_name", string(null))
            .required("key", string(null))
            .required("value", anyJson("text; other JSON is kept as its JSON text"))
            .handler(this::editMemory),
        tool("meshcode_link", "Link this meshwork to another, so agents can message 'meshwork/agent' (owner key).")
            .required("target_meshwork", string(null))
            .handler(call -> Json.ok(gateway.post(gateway.meshworkPath("links"),
                Json.object().put("target", call.args().requiredName("target_meshwork"))))));
  }

  private ObjectNode status() {
    JsonNode meshwork = gateway.get(gateway.meshworkPath());
    Map<String, JsonNode> working = currentTasks();
    ObjectNode result = Json.ok().put("meshwork", gateway.meshwork()).put("you", gateway.agent());
    ArrayNode agents = result.putArray("agents");
    for (JsonNode agent : meshwork.path("agents")) {
      String name = Json.text(agent, "name");
      ObjectNode row = agents.addObject()
          .put("name", name)
          .put("role", Json.text(agent, "role"))
          .put("status", Json.text(agent, "status"))
          .put("last_seen", Json.text(agent, "last_seen"));
      JsonNode task = working.get(name);
      if (task == null) {
        row.putNull("current_task");
      } else {
        row.putObject("current_task").put("id", Json.text(task, "id")).put("title", Json.text(task, "title"));
      }
    }
    return result;
  }

  /** Each agent's task in progress (its latest); none when the board cannot be read. */
  private Map<String, JsonNode> currentTasks() {
    Map<String, JsonNode> byAgent = new HashMap<>();
    try {
      JsonNode tasks = gateway.get(Gateway.query(gateway.meshworkPath("tasks"), Gateway.params("status", "in_progress")));
      for (JsonNode task : tasks.path("tasks")) {
        String assignee = Json.text(task, "assignee");
        if (assignee != null) {
          byAgent.merge(assignee, task, (older, newer) -> newer);
        }
      }
    } catch (ToolError e) {
      LOG.debug("reading the tasks in progress failed: {}", e.getMessage());
    }
    return byAgent;
  }

  private ObjectNode createMeshwork(ToolCall call) {
    String name = call.args().requiredName("name");
    ObjectNode result = Json.ok(gateway.post("/v1/meshworks", Json.object().put("name", name)));
    // The meshwork has no agent yet: go creates the one the person names, with its workspace.
    return nextStep(result, "meshcode go <agent> --project " + name,
        "To start an agent in it, open a new terminal and run: meshcode go <agent> --project " + name
            + " (with the agent's name; go adds it and opens its editor).");
  }

  private ObjectNode addAgent(ToolCall call) {
    String name = call.args().requiredName("name");
    ObjectNode body = Json.object()
        .put("name", name)
        .put("role", call.args().requiredString("role", 200));
    ObjectNode result = Json.ok(gateway.post(gateway.meshworkPath("agents"), body));
    String command = "meshcode go " + name + " --project " + gateway.meshwork();
    return nextStep(result, command, "To start " + name + ", open a new terminal and run: " + command);
  }

  /**
   * The command a person runs next, and the sentence the agent tells them: the product page
   * promises the agent always says what to run next. Names are plain ({@code [a-z0-9-]}), so the
   * command needs no quoting.
   */
  static ObjectNode nextStep(ObjectNode result, String command, String sentence) {
    return result.put("next_command", command).put("next_step", sentence);
  }

  private ObjectNode editAgent(ToolCall call) {
    Args args = call.args();
    String name = args.requiredName("name");
    ObjectNode body = Json.object();
    putIfPresent(body, "role", args.optionalString("role", 200));
    putIfPresent(body, "launch_prompt", args.optionalString("launch_prompt", 10_000));
    if (body.isEmpty()) {
      throw ToolError.invalid("nothing to change: give role or launch_prompt");
    }
    return Json.ok(gateway.patch(gateway.meshworkPath("agents", name), body));
  }

  private ObjectNode editMemory(ToolCall call) {
    Args args = call.args();
    String agent = args.requiredName("agent_name");
    String key = args.requiredKey("key");
    ObjectNode body = Json.object().put("value", args.requiredValueText("value"));
    return Json.ok(gateway.put(gateway.meshworkPath("agents", agent, "memory", key), body));
  }
}
