package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** A team of agent slots, owned by one account and named uniquely among that account's meshworks. */
record Meshwork(UUID id, String ownerAccount, String name, String description, Instant createdAt) {

  static final String COLUMNS = "m.id, m.owner_account, m.name, m.description, m.created_at";

  static Meshwork from(Row row) {
    return new Meshwork(row.getUUID("id"), row.getString("owner_account"), row.getString("name"),
        row.getString("description"), Sql.instant(row, "created_at"));
  }

  /** {@code agents} holds each slot's name and role. */
  JsonObject toJson(JsonArray agents) {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("description", description)
        .put("created_at", Sql.iso(createdAt))
        .put("agents", agents);
  }
}
