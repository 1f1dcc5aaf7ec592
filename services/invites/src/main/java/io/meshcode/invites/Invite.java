package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * An invitation into one agent slot. {@code role} is null when the slot keeps its own; the token
 * itself is never kept, so it appears only in {@link Issued}, once.
 */
record Invite(UUID id, String agent, String role, Instant createdAt, Instant expiresAt,
    String state, UUID redeemedBy, String redeemedByName, Instant redeemedAt) {

  /** The state as the database clock sees it, so every replica agrees on what has expired. */
  static final String COLUMNS = """
      id, agent, role, created_at, expires_at, redeemed_by, redeemed_at,
      CASE WHEN redeemed_at IS NOT NULL THEN 'redeemed'
           WHEN revoked_at IS NOT NULL THEN 'revoked'
           WHEN expires_at <= now() THEN 'expired'
           ELSE 'outstanding' END AS state""";

  /** The member who redeemed it, by display name: a column only lists have ({@link #WITH_REDEEMER}). */
  static final String REDEEMED_BY_NAME = "redeemed_by_name";
  static final String WITH_REDEEMER = COLUMNS + """
      , (SELECT mb.display_name FROM members mb WHERE mb.id = invites.redeemed_by) AS redeemed_by_name""";

  static Invite from(Row row) {
    return new Invite(row.getUUID("id"), row.getString("agent"), row.getString("role"),
        Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"), row.getString("state"),
        row.getUUID("redeemed_by"), row.getColumnIndex(REDEEMED_BY_NAME) < 0 ? null : row.getString(REDEEMED_BY_NAME),
        Sql.instant(row, "redeemed_at"));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("agent", agent)
        .put("role", role)
        .put("created_at", Sql.iso(createdAt))
        .put("expires_at", Sql.iso(expiresAt))
        .put("state", state);
    if (redeemedBy != null) {
      json.put("redeemed_by", redeemedBy.toString()).put("redeemed_at", Sql.iso(redeemedAt));
      if (redeemedByName != null) {
        json.put(REDEEMED_BY_NAME, redeemedByName);
      }
    }
    return json;
  }

  /** A new invite with its token, as answered to the owner who made it. */
  record Issued(Invite invite, String token) {

    JsonObject toJson(InvitesSettings settings) {
      JsonObject json = invite.toJson();
      json.remove("state");
      return json.put("token", token).put("join_url", settings.joinUrl(token));
    }
  }
}
