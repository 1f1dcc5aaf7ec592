package io.meshcode.mcp;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a message as this agent. Each message gets its id here, so a send whose answer was lost
 * with the connection is sent again under the same id and stored once.
 */
final class MessageSender {

  private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);
  private static final int ATTEMPTS = 3;

  private final Gateway gateway;

  MessageSender(Gateway gateway) {
    this.gateway = gateway;
  }

  /** {@code message} without an id; answers the gateway's {@code {id, recipients, …}}. */
  JsonNode send(ObjectNode message) {
    message.put("id", UUID.randomUUID().toString());
    for (int attempt = 1; ; attempt++) {
      try {
        return gateway.post(gateway.agentPath("messages"), message);
      } catch (GatewayException e) {
        if (!e.transientFailure() || attempt == ATTEMPTS) {
          throw e;
        }
        LOG.info("sending message {} failed ({}), sending it again", message.path("id").asString(), e.getMessage());
        pause(250L << attempt);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("cancelled", "the send was interrupted");
    }
  }

  /** The send's answer as a tool result: the id, thread and each recipient's delivery state and status. */
  static ObjectNode result(JsonNode sent) {
    ObjectNode result = Json.ok();
    result.set("id", sent.path("id"));
    result.set("thread_id", sent.path("thread_id"));
    var recipients = result.putArray("recipients");
    for (JsonNode recipient : sent.path("recipients")) {
      recipients.addObject()
          .put("agent", recipient.path("agent").asString(""))
          .put("state", recipient.path("state").asString(""))
          .put("status", recipient.path("status").asString(""));
    }
    return result;
  }
}
