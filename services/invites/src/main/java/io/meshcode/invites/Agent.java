package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/** An agent slot of a meshwork: the seat one editor window fills, with its role and launch prompt. */
record Agent(String name, String role, String launchPrompt, Instant createdAt) {

  static Agent from(Row row) {
    return new Agent(row.getString("name"), row.getString("role"), row.getString("launch_prompt"), Sql.instant(row, "created_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("role", role)
        .put("launch_prompt", launchPrompt)
        .put("created_at", Sql.iso(createdAt));
  }
}
