package io.meshcode.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A message as its sender wrote it, validated: {@code addressedTo} is the {@code to} field as
 * given (a string or a list), {@code data} any JSON value or null.
 */
record OutgoingMessage(
    UUID id, boolean idChosenByClient, Object addressedTo, String kind, String text, Object data, String threadId, UUID replyTo) {

  /** The payload published on {@code mesh.messages} and logged, with the stored time and thread. */
  JsonObject payload(AgentSlot sender, String meshworkName, String createdAt, String thread) {
    return new JsonObject()
        .put("id", id.toString())
        .put("meshwork", meshworkName)
        .put("from", sender.agent())
        .put("to", addressedTo)
        .put("kind", kind)
        .put("text", text)
        .put("data", data)
        .put("thread_id", thread)
        .put("reply_to", replyTo == null ? null : replyTo.toString())
        .put("created_at", createdAt);
  }
}
