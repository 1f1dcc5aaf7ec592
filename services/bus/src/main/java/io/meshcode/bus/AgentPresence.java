package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/** What the presence list shows of one agent: its derived status and its latest session. */
record AgentPresence(String agent, String status, Instant lastSeen, String client, Instant sessionOpenedAt) {

  static AgentPresence from(Row row) {
    return new AgentPresence(row.getString("agent"), row.getString("status"), Sql.instant(row, "last_seen_at"),
        row.getString("client"), Sql.instant(row, "session_opened_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("agent", agent)
        .put("status", status)
        .put("last_seen", Sql.iso(lastSeen))
        .put("client", client)
        .put("session_opened_at", Sql.iso(sessionOpenedAt));
  }
}
