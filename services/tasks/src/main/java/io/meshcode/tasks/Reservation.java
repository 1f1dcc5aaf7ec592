package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/** One path or glob an agent holds until {@code expiresAt}; {@code shared} ones coexist with other shared ones. */
record Reservation(String agent, String path, String reason, boolean shared, Instant createdAt, Instant expiresAt) {

  static final String COLUMNS = "agent, path, reason, shared, created_at, expires_at";

  static Reservation from(Row row) {
    return new Reservation(row.getString("agent"), row.getString("path"), row.getString("reason"),
        row.getBoolean("shared"), Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("agent", agent)
        .put("path", path)
        .put("reason", reason)
        .put("shared", shared)
        .put("created_at", Sql.iso(createdAt))
        .put("expires_at", Sql.iso(expiresAt));
  }
}
