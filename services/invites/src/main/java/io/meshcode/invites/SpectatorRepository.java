package io.meshcode.invites;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** Read-only links for watching a meshwork, and the tokens behind them (as hashes). */
final class SpectatorRepository {

  private static final String INSERT = """
      INSERT INTO spectator_links (id, meshwork_id, token_hash, token_prefix, expires_at)
      VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
      RETURNING id, created_at, expires_at
      """;

  static final String LIST = """
      SELECT id, created_at, expires_at
        FROM spectator_links
       WHERE meshwork_id = $1 AND revoked_at IS NULL
       ORDER BY created_at, id
      """;

  static final String REVOKE = """
      UPDATE spectator_links SET revoked_at = now()
       WHERE id = $1 AND meshwork_id = $2 AND revoked_at IS NULL
      """;

  static final String RESOLVE = """
      SELECT s.id, s.meshwork_id, m.name, m.owner_account
        FROM spectator_links s JOIN meshworks m ON m.id = s.meshwork_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())
      """;

  private final Pool pool;

  SpectatorRepository(Pool pool) {
    this.pool = pool;
  }

  Future<SpectatorLink.Issued> create(Meshwork meshwork, OptionalInt days) {
    String token = SecretKeys.generate(SecretKeys.SPECTATOR);
    UUID id = Ids.newUuid();
    Integer lifetime = days.isPresent() ? days.getAsInt() : null;
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(id, meshwork.id(), Buffer.buffer(SecretKeys.hash(token)), SecretKeys.displayPrefix(token), lifetime))
        .map(rows -> SpectatorLink.from(rows.iterator().next()))
        .compose(link -> MembershipEvents.record(conn, MembershipEvents.SPECTATOR_LINK_CREATED, meshwork.id(), null,
                new JsonObject().put("link_id", id.toString()).put("expires_at", Sql.iso(link.expiresAt())))
            .map(new SpectatorLink.Issued(link, token))));
  }

  Future<List<SpectatorLink>> list(Meshwork meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork.id())).map(rows -> {
      List<SpectatorLink> links = new ArrayList<>();
      rows.forEach(row -> links.add(SpectatorLink.from(row)));
      return links;
    });
  }

  Future<Void> revoke(Meshwork meshwork, UUID id) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(id, meshwork.id()))
        .compose(revoked -> revoked.rowCount() == 0
            ? Future.failedFuture(ApiException.notFound("meshwork '" + meshwork.name() + "' has no spectator link with that id"))
            : MembershipEvents.revocation(conn, MembershipEvents.SPECTATOR_LINK_REVOKED, meshwork.id(), null,
                new JsonObject().put("link_id", id.toString()))));
  }

  /** The live, unexpired link a spectator token belongs to, found by the token's SHA-256 hash. */
  Future<Optional<ResolvedKey>> resolve(byte[] tokenHash) {
    return pool.preparedQuery(RESOLVE).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new ResolvedKey.Spectator(
          row.getUUID("id"), row.getUUID("meshwork_id"), row.getString("name"), row.getString("owner_account")));
    });
  }
}
