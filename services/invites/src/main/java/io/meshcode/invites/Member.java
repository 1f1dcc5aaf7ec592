package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** A guest who joined a meshwork through an invite, bound to one agent slot. */
record Member(UUID id, String agent, String displayName, Instant joinedAt, Instant lastSeenAt) {

  static Member from(Row row) {
    return new Member(row.getUUID("id"), row.getString("agent"), row.getString("display_name"),
        Sql.instant(row, "joined_at"), Sql.instant(row, "last_seen_at"));
  }

  /** The owner heads every member list, though no row stands for it. */
  /** The owner's row: named by the account name the gateway vouched for, else plain "owner". */
  static JsonObject ownerJson(String accountName) {
    return new JsonObject().put("id", "owner").put("kind", "owner")
        .put("display_name", accountName == null || accountName.isBlank() ? "owner" : accountName);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", "guest")
        .put("display_name", displayName)
        .put("agent", agent)
        .put("joined_at", Sql.iso(joinedAt))
        .put("last_seen_at", Sql.iso(lastSeenAt));
  }

  /** What redeeming an invite answers: the guest key, shown this once. */
  record Joined(String key, UUID memberId, String meshwork, UUID meshworkId, String agent, String role) {

    JsonObject toJson() {
      return new JsonObject()
          .put("key", key)
          .put("member_id", memberId.toString())
          .put("meshwork", meshwork)
          .put("meshwork_id", meshworkId.toString())
          .put("agent", agent)
          .put("role", role);
    }
  }
}
