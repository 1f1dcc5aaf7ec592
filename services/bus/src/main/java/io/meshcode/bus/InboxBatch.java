package io.meshcode.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a read of an inbox found: messages in inbox order, the cursor after them, whether more are
 * unread, and how many the acknowledgement the read carried turned read (null when it carried none).
 */
record InboxBatch(List<InboxMessage> messages, InboxCursor cursor, boolean more, Integer acked) {

  InboxBatch(List<InboxMessage> messages, InboxCursor cursor, boolean more) {
    this(messages, cursor, more, null);
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    messages.forEach(m -> list.add(m.message()));
    JsonObject json = new JsonObject().put("messages", list).put("cursor", cursor.toString()).put("more", more);
    return acked == null ? json : json.put("acked", acked);
  }
}
