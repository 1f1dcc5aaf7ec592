package io.meshcode.mcp;

import static io.meshcode.mcp.ToolSpec.anyJson;
import static io.meshcode.mcp.ToolSpec.choice;
import static io.meshcode.mcp.ToolSpec.integer;
import static io.meshcode.mcp.ToolSpec.string;
import static io.meshcode.mcp.ToolSpec.stringOrList;
import static io.meshcode.mcp.ToolSpec.tool;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The wait loop and messages: wait, done, send, broadcast, inbox. */
final class MessageTools {

  private static final int TEXT_MAX = 65_536;
  private static final List<String> KINDS = List.of("message", "request", "reply", "event");

  private final Inbox inbox;
  private final MessageSender sender;

  MessageTools(Inbox inbox, MessageSender sender) {
    this.inbox = inbox;
    this.sender = sender;
  }

  List<ToolSpec> tools() {
    return List.of(
        tool("meshcode_wait", "Block until messages for you arrive or the timeout passes. Handle them, then call meshcode_done. more=true: call again at once.")
            .optional("timeout_seconds", integer("0-" + Inbox.MAX_WAIT_SECONDS + ", default " + Inbox.DEFAULT_WAIT_SECONDS))
            .handler(this::waitForMessages),
        tool("meshcode_done", "Acknowledge what your waits returned and log a summary; with reply_to, also send the summary as the reply.")
            .required("summary", string(null))
            .optional("reply_to", string("message id"))
            .handler(this::done),
        tool("meshcode_send", "Send a message. Returns each recipient's delivery state.")
            .required("to", stringOrList("agent, list of agents, '*' (all) or 'meshwork/agent'"))
            .required("message", string(null))
            .optional("data", anyJson("optional JSON"))
            .optional("thread_id", string(null))
            .optional("reply_to", string("message id"))
            .optional("kind", choice(null, KINDS))
            .handler(this::send),
        tool("meshcode_broadcast", "Send a message to every other agent.")
            .required("message", string(null))
            .optional("data", anyJson("optional JSON"))
            .handler(this::broadcast),
        tool("meshcode_inbox", "Peek at your unacknowledged messages; changes nothing.")
            .optional("limit", integer("1-500"))
            .handler(call -> inbox.peek(call.args().optionalInt("limit", 1, 500))));
  }

  private ObjectNode waitForMessages(ToolCall call) {
    Integer timeout = call.args().optionalInt("timeout_seconds", 0, Inbox.MAX_WAIT_SECONDS);
    return inbox.await(timeout == null ? Inbox.DEFAULT_WAIT_SECONDS : timeout, call);
  }

  private ObjectNode done(ToolCall call) {
    String summary = call.args().requiredString("summary", TEXT_MAX);
    String replyTo = call.args().optionalString("reply_to", 100);
    return inbox.done(summary, replyTo);
  }

  private ObjectNode send(ToolCall call) {
    Args args = call.args();
    List<String> to = args.requiredList("to", true, 100, 81);
    ObjectNode message = Json.object();
    if (to.size() == 1) {
      message.put("to", to.get(0));
    } else {
      to.forEach(message.putArray("to")::add);
    }
    String replyTo = args.optionalString("reply_to", 100);
    String kind = args.optionalChoice("kind", KINDS);
    message.put("text", args.requiredString("message", TEXT_MAX));
    putIfPresent(message, "kind", kind == null && replyTo != null ? "reply" : kind);
    putIfPresent(message, "thread_id", args.optionalString("thread_id", 200));
    putIfPresent(message, "reply_to", replyTo);
    JsonNode data = args.optionalJson("data");
    if (data != null) {
      message.set("data", data);
    }
    return MessageSender.result(sender.send(message));
  }

  private ObjectNode broadcast(ToolCall call) {
    ObjectNode message = Json.object().put("to", "*").put("text", call.args().requiredString("message", TEXT_MAX));
    JsonNode data = call.args().optionalJson("data");
    if (data != null) {
      message.set("data", data);
    }
    return MessageSender.result(sender.send(message));
  }

  static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
