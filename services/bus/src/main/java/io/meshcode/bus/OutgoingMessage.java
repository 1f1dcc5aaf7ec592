package io.meshcode.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A message as its sender wrote it, validated: {@code addressedTo} is the {@code to} field as
 * given (a string or a list), {@code data} any JSON value or null. {@code fromPerson} is the
 * owner's account name when the owner sent it as a person (sender {@link #OWNER}), as the gateway
 * vouched for it; null for an agent's message.
 */
record OutgoingMessage(
    UUID id, boolean idChosenByClient, Object addressedTo, String kind, String text, Object data, String threadId, UUID replyTo,
    String fromPerson) {

  /**
   * The sender of a message the meshwork's owner sends as a person (from the dashboard): no agent
   * name can be this, since names start with a letter or digit.
   */
  static final String OWNER = "@owner";

  /**
   * The payload published on {@code mesh.messages} and logged, with the stored time: the send's
   * statement completes it with the thread (a reply may join the one of the message it answers)
   * and each recipient's position.
   */
  JsonObject payload(AgentSlot sender, String meshworkName, String createdAt) {
    JsonObject payload = new JsonObject()
        .put("id", id.toString())
        .put("meshwork", meshworkName)
        .put("from", sender.agent())
        .put("to", addressedTo)
        .put("kind", kind)
        .put("text", text)
        .put("data", data)
        .put("reply_to", replyTo == null ? null : replyTo.toString())
        .put("created_at", createdAt);
    if (fromPerson != null) {
      payload.put("from_person", fromPerson);
    }
    return payload;
  }
}
