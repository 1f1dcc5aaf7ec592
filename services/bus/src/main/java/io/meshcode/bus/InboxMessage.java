package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** A message as it stands in one recipient's inbox, at position {@code seq}. */
record InboxMessage(long seq, JsonObject message) {

  /** Read for the recipient in {@code inbox}: a sender of another meshwork is named {@code meshwork/agent}. */
  static InboxMessage from(Row row, UUID inboxMeshwork) {
    String sender = row.getString("sender");
    boolean sameMeshwork = inboxMeshwork.equals(row.getUUID("meshwork_id"));
    UUID replyTo = row.getUUID("reply_to");
    JsonObject message = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("from", sameMeshwork ? sender : row.getString("meshwork_name") + "/" + sender)
        .put("to", json(row.getValue("addressed_to")))
        .put("kind", row.getString("kind"))
        .put("text", row.getString("body"))
        .put("data", json(row.getValue("data")))
        .put("thread_id", row.getString("thread_id"))
        .put("reply_to", replyTo == null ? null : replyTo.toString())
        .put("created_at", Sql.iso(Sql.instant(row, "created_at")));
    // A message the owner sent as a person (from "@owner") names that person; an agent's has no such field.
    String person = row.getString("from_person");
    if (person != null) {
      message.put("from_person", person);
    }
    return new InboxMessage(row.getLong("seq"), message);
  }

  /** A jsonb value as read: a JsonObject, JsonArray, String, Number or Boolean; JSON null reads as null. */
  static Object json(Object value) {
    return value == Tuple.JSON_NULL ? null : value;
  }
}
