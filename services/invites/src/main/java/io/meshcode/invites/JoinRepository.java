package io.meshcode.invites;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Redeeming an invite: single use, whatever the concurrency. The one conditional UPDATE decides
 * who wins; a loser learns why from the row as it then stands.
 *
 * <p>Locks are taken in the order meshwork, slot, invite (the order a meshwork's or slot's removal
 * takes them in), so a join never deadlocks with one.
 */
final class JoinRepository {

  static final String FIND = """
      SELECT id, meshwork_id, agent FROM invites WHERE token_hash = $1
      """;

  static final String LOCK_MESHWORK = """
      SELECT name FROM meshworks WHERE id = $1 FOR KEY SHARE
      """;

  static final String LOCK_SLOT = """
      SELECT role FROM agents WHERE meshwork_id = $1 AND name = $2 FOR NO KEY UPDATE
      """;

  static final String REDEEM = """
      UPDATE invites SET redeemed_at = now(), redeemed_by = $2
       WHERE id = $1 AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING role
      """;

  static final String WHY_NOT = """
      SELECT redeemed_at, revoked_at, expires_at FROM invites WHERE id = $1
      """;

  private static final String INSERT_MEMBER = """
      INSERT INTO members (id, meshwork_id, agent, display_name, key_hash, key_prefix, invite_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """;

  static final String SET_ROLE = """
      UPDATE agents SET role = $3 WHERE meshwork_id = $1 AND name = $2
      """;

  private final Pool pool;

  JoinRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Member.Joined> redeem(String token, String displayName) {
    return pool.withTransaction(conn -> conn.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(SecretKeys.hash(token))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(InviteRepository.notFound());
          }
          Row invite = rows.iterator().next();
          return redeem(conn, invite.getUUID("id"), invite.getUUID("meshwork_id"), invite.getString("agent"), displayName);
        }));
  }

  private Future<Member.Joined> redeem(SqlConnection conn, UUID inviteId, UUID meshworkId, String agent, String displayName) {
    UUID memberId = Ids.newUuid();
    return conn.preparedQuery(LOCK_MESHWORK).execute(Tuple.of(meshworkId)).compose(meshworks -> {
      if (meshworks.size() == 0) {
        return Future.failedFuture(InviteRepository.notFound());
      }
      String meshwork = meshworks.iterator().next().getString("name");
      return conn.preparedQuery(LOCK_SLOT).execute(Tuple.of(meshworkId, agent)).compose(slots -> {
        if (slots.size() == 0) {
          return Future.failedFuture(InviteRepository.notFound());
        }
        String slotRole = slots.iterator().next().getString("role");
        return conn.preparedQuery(REDEEM).execute(Tuple.of(inviteId, memberId)).compose(redeemed -> redeemed.size() == 0
            ? whyNot(conn, inviteId)
            : join(conn, new Member.Joined(SecretKeys.generate(SecretKeys.GUEST), memberId, meshwork, meshworkId, agent, slotRole),
                inviteId, displayName, redeemed.iterator().next().getString("role")));
      });
    });
  }

  private Future<Member.Joined> join(SqlConnection conn, Member.Joined joined, UUID inviteId, String displayName, String inviteRole) {
    boolean roleChanges = inviteRole != null && !inviteRole.equals(joined.role());
    Member.Joined result = roleChanges
        ? new Member.Joined(joined.key(), joined.memberId(), joined.meshwork(), joined.meshworkId(), joined.agent(), inviteRole)
        : joined;
    Future<?> roleSet = !roleChanges ? Future.succeededFuture() : conn.preparedQuery(SET_ROLE)
        .execute(Tuple.of(joined.meshworkId(), joined.agent(), inviteRole))
        .compose(updated -> MembershipEvents.record(conn, MembershipEvents.AGENT_UPDATED, joined.meshworkId(), joined.agent(),
            new JsonObject().put("name", joined.agent()).put("role", inviteRole).put("changed", new JsonArray().add("role"))));
    return roleSet
        .compose(v -> conn.preparedQuery(INSERT_MEMBER).execute(Tuple.of(joined.memberId(), joined.meshworkId(), joined.agent(),
            displayName, Buffer.buffer(SecretKeys.hash(joined.key())), SecretKeys.displayPrefix(joined.key()), inviteId)))
        .compose(v -> MembershipEvents.record(conn, MembershipEvents.MEMBER_JOINED, joined.meshworkId(), joined.agent(),
            new JsonObject()
                .put("member_id", joined.memberId().toString())
                .put("display_name", displayName)
                .put("agent", joined.agent())
                .put("invite_id", inviteId.toString())))
        .map(result);
  }

  /** Why the conditional redeem matched nothing: used beats revoked beats expired. */
  private static Future<Member.Joined> whyNot(SqlConnection conn, UUID inviteId) {
    return conn.preparedQuery(WHY_NOT).execute(Tuple.of(inviteId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(InviteRepository.notFound());
      }
      Row row = rows.iterator().next();
      if (row.getValue("redeemed_at") != null) {
        return Future.failedFuture(ApiException.conflict("this invite was already used"));
      }
      if (row.getValue("revoked_at") != null) {
        return Future.failedFuture(InviteRepository.notFound());
      }
      Instant expired = Sql.instant(row, "expires_at").truncatedTo(ChronoUnit.SECONDS);
      return Future.failedFuture(new ApiException(410, "gone", "this invite expired on " + expired));
    });
  }
}
