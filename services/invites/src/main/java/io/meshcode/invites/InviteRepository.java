package io.meshcode.invites;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Invites into agent slots: issuing, listing and revoking them. Redeeming is {@link JoinRepository}'s. */
final class InviteRepository {

  // Meshwork, then slot: the order a join takes them in. Holding the slot means a removal in
  // flight cannot miss the new invite.
  static final String LOCK_MESHWORK = """
      SELECT name FROM meshworks WHERE id = $1 FOR KEY SHARE
      """;

  static final String LOCK_SLOT = """
      SELECT name FROM agents WHERE meshwork_id = $1 AND name = $2 FOR KEY SHARE
      """;

  private static final String INSERT = """
      INSERT INTO invites (id, meshwork_id, agent, role, token_hash, token_prefix, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
      RETURNING\s""" + Invite.COLUMNS;

  private static final String LIST = "SELECT " + Invite.WITH_REDEEMER + """
        FROM invites
       WHERE meshwork_id = $1
       ORDER BY created_at, id
      """;

  static final String REVOKE = """
      UPDATE invites SET revoked_at = now()
       WHERE id = $1 AND meshwork_id = $2 AND redeemed_at IS NULL AND revoked_at IS NULL
      RETURNING\s""" + Invite.COLUMNS;

  static final String FIND = "SELECT " + Invite.WITH_REDEEMER + """
        FROM invites WHERE id = $1 AND meshwork_id = $2
      """;

  /** An invite after a revoke: {@code now} if this request revoked it, false if it had been revoked before. */
  record Revoked(Invite invite, boolean now) {}

  private final Pool pool;

  InviteRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Invite.Issued> create(Meshwork meshwork, String agent, Optional<String> role, int days) {
    String token = SecretKeys.generate(SecretKeys.INVITE);
    UUID id = Ids.newUuid();
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_MESHWORK).execute(Tuple.of(meshwork.id()))
        .compose(locked -> conn.preparedQuery(LOCK_SLOT).execute(Tuple.of(meshwork.id(), agent)))
        .compose(slot -> {
          if (slot.size() == 0) {
            return Future.failedFuture(AgentRepository.notFound(meshwork, agent));
          }
          return conn.preparedQuery(INSERT).execute(Tuple.of(id, meshwork.id(), agent, role.orElse(null),
              Buffer.buffer(SecretKeys.hash(token)), SecretKeys.displayPrefix(token), days));
        })
        .map(rows -> Invite.from(rows.iterator().next()))
        .compose(invite -> MembershipEvents.record(conn, MembershipEvents.INVITE_CREATED, meshwork.id(), agent,
                new JsonObject().put("invite_id", id.toString()).put("agent", agent).put("role", invite.role())
                    .put("expires_at", Sql.iso(invite.expiresAt())))
            .map(new Invite.Issued(invite, token))));
  }

  Future<List<Invite>> list(Meshwork meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork.id())).map(rows -> {
      List<Invite> invites = new ArrayList<>();
      rows.forEach(row -> invites.add(Invite.from(row)));
      return invites;
    });
  }

  /**
   * Revokes an outstanding or expired invite. One revoked before stays as it is ({@code now} is
   * false, so the caller can say there was nothing to do); a redeemed one is a conflict naming who
   * redeemed it.
   */
  Future<Revoked> revoke(Meshwork meshwork, UUID id) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(id, meshwork.id())).compose(revoked -> {
      if (revoked.size() > 0) {
        Invite invite = Invite.from(revoked.iterator().next());
        return MembershipEvents.record(conn, MembershipEvents.INVITE_REVOKED, meshwork.id(), invite.agent(),
            new JsonObject().put("invite_id", id.toString())).map(new Revoked(invite, true));
      }
      return conn.preparedQuery(FIND).execute(Tuple.of(id, meshwork.id())).compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(notFound());
        }
        Invite invite = Invite.from(rows.iterator().next());
        if (invite.redeemedBy() != null) {
          String by = invite.redeemedByName() == null ? "" : " by " + invite.redeemedByName();
          return Future.failedFuture(ApiException.conflict("this invite was already redeemed" + by + "; remove the member instead"));
        }
        return Future.succeededFuture(new Revoked(invite, false));
      });
    }));
  }

  static ApiException notFound() {
    return ApiException.notFound("no such invite (it may have been revoked)");
  }
}
