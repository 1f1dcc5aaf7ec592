package io.meshcode.invites;

import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Guests who joined a meshwork, and the scoped keys they hold (as hashes). */
final class MemberRepository {

  private static final Logger LOG = LoggerFactory.getLogger(MemberRepository.class);

  static final String LIST = """
      SELECT id, agent, display_name, joined_at, last_seen_at
        FROM members
       WHERE meshwork_id = $1 AND revoked_at IS NULL
       ORDER BY joined_at, id
      """;

  static final String REVOKE = """
      UPDATE members SET revoked_at = now()
       WHERE id = $1 AND meshwork_id = $2 AND revoked_at IS NULL
      RETURNING agent, display_name
      """;

  static final String RESOLVE = """
      SELECT mb.id, mb.meshwork_id, m.name, m.owner_account, mb.agent, mb.display_name,
             (mb.last_seen_at IS NULL OR mb.last_seen_at < now() - interval '1 minute') AS stale
        FROM members mb JOIN meshworks m ON m.id = mb.meshwork_id
       WHERE mb.key_hash = $1 AND mb.revoked_at IS NULL
      """;

  // The same condition again: of two replicas resolving at once, only one writes.
  static final String TOUCH = """
      UPDATE members SET last_seen_at = now()
       WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')
      """;

  private final Pool pool;

  MemberRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Member>> list(Meshwork meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork.id())).map(rows -> {
      List<Member> members = new ArrayList<>();
      rows.forEach(row -> members.add(Member.from(row)));
      return members;
    });
  }

  /** Revokes a live member; answers what the gateway needs to end the sessions it opened: {@code {id, agent, display_name, meshwork_id}}. */
  Future<JsonObject> revoke(Meshwork meshwork, UUID id) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(id, meshwork.id())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ApiException.notFound("meshwork '" + meshwork.name() + "' has no member with that id"));
      }
      Row row = rows.iterator().next();
      return MembershipEvents.revocation(conn, MembershipEvents.MEMBER_REVOKED, meshwork.id(), row.getString("agent"),
          new JsonObject().put("member_id", id.toString()).put("display_name", row.getString("display_name")))
          .map(v -> new JsonObject().put("id", id.toString()).put("agent", row.getString("agent"))
              .put("display_name", row.getString("display_name")).put("meshwork_id", meshwork.id().toString()));
    }));
  }

  /**
   * The live member a guest key belongs to, found by the key's SHA-256 hash. Marks it seen at most
   * once a minute, so resolving a key on every request does not write on every request.
   */
  Future<Optional<ResolvedKey>> resolve(byte[] keyHash) {
    return pool.preparedQuery(RESOLVE).execute(Tuple.of(Buffer.buffer(keyHash))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      ResolvedKey guest = new ResolvedKey.Guest(row.getUUID("id"), row.getUUID("meshwork_id"), row.getString("name"),
          row.getString("owner_account"), row.getString("agent"), row.getString("display_name"));
      if (!row.getBoolean("stale")) {
        return Future.succeededFuture(Optional.of(guest));
      }
      // Bookkeeping only: a failed write must not turn a valid key away.
      return pool.preparedQuery(TOUCH).execute(Tuple.of(row.getUUID("id")))
          .<Optional<ResolvedKey>>map(touched -> Optional.of(guest))
          .recover(failure -> {
            LOG.warn("marking member {} as seen failed: {}", row.getUUID("id"), failure.getMessage());
            return Future.succeededFuture(Optional.of(guest));
          });
    });
  }
}
