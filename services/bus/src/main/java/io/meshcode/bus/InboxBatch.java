package io.meshcode.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a read of an inbox found: messages in inbox order, the cursor after them, and whether more are unread. */
record InboxBatch(List<InboxMessage> messages, InboxCursor cursor, boolean more) {

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    messages.forEach(m -> list.add(m.message()));
    return new JsonObject().put("messages", list).put("cursor", cursor.toString()).put("more", more);
  }
}
