package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** A read-only link to watch one meshwork; {@code expiresAt} is null for a link that lasts until revoked. */
record SpectatorLink(UUID id, Instant createdAt, Instant expiresAt) {

  static SpectatorLink from(Row row) {
    return new SpectatorLink(row.getUUID("id"), Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"));
  }

  /** Lists show only links still in force, so {@code revoked} is always false there. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("created_at", Sql.iso(createdAt))
        .put("expires_at", Sql.iso(expiresAt))
        .put("revoked", false);
  }

  /** A new link with its token, as answered to the owner who made it. */
  record Issued(SpectatorLink link, String token) {

    JsonObject toJson(InvitesSettings settings) {
      return new JsonObject()
          .put("id", link.id().toString())
          .put("token", token)
          .put("url", settings.watchUrl(token))
          .put("created_at", Sql.iso(link.createdAt()))
          .put("expires_at", Sql.iso(link.expiresAt()));
    }
  }
}
