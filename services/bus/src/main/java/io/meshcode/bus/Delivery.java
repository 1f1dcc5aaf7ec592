package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/**
 * Where a message stands for one recipient: {@code queued} (not yet returned by a wait),
 * {@code delivered} (a wait returned it), {@code read} (acknowledged). {@code status} is the
 * recipient's presence when asked ({@code offline} if it never opened a session).
 */
record Delivery(String recipient, String state, String status, Instant deliveredAt, Instant readAt) {

  /**
   * The columns of a delivery {@code d} of the inbox whose cursors are {@code c}, with the first
   * marks of each kind at or above it ({@code delivered_mark}, {@code read_mark}, null unless it
   * has that state) and its agent's presence {@code p}.
   */
  static final String COLUMNS = """
      d.meshwork_id, d.meshwork_name, d.agent,
      CASE WHEN d.seq <= c.acked_seq THEN 'read' WHEN d.seq <= c.delivered_seq THEN 'delivered' ELSE 'queued' END AS state,
      LEAST(delivered_mark.at, read_mark.at) AS delivered_at, read_mark.at AS read_at,
      COALESCE(agent_status(p.lease_expires_at, p.last_activity_at, p.waiting_until, $2::int, now()), 'offline') AS status
      """;

  static Delivery from(Row row, java.util.UUID senderMeshwork) {
    Recipient recipient = new Recipient(row.getUUID("meshwork_id"), row.getString("meshwork_name"), row.getString("agent"));
    return new Delivery(recipient.nameFrom(senderMeshwork), row.getString("state"), row.getString("status"),
        Sql.instant(row, "delivered_at"), Sql.instant(row, "read_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("agent", recipient)
        .put("state", state)
        .put("status", status)
        .put("delivered_at", Sql.iso(deliveredAt))
        .put("read_at", Sql.iso(readAt));
  }
}
