package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Agent sessions: one live lease per agent, renewed by heartbeats. Every change first locks the
 * agent's presence row, so concurrent opens, heartbeats and closes of one agent take turns on any
 * number of replicas; the unique index on open sessions backs that up.
 */
final class SessionRepository {

  static final String TAKEN_OVER = "taken_over";
  static final String CLOSED = "closed";
  static final String EXPIRED = "expired";
  static final String REVOKED = "revoked";

  private static final String ENSURE_PRESENCE = """
      INSERT INTO presence (meshwork_id, agent) VALUES ($1, $2) ON CONFLICT (meshwork_id, agent) DO NOTHING
      """;

  private static final String LOCK_PRESENCE = """
      SELECT session_id, lease_expires_at, COALESCE(lease_expires_at > now(), false) AS live
        FROM presence
       WHERE meshwork_id = $1 AND agent = $2
         FOR UPDATE
      """;

  // Whether the session is the agent's and holds a live lease, and if not, why: two primary-key reads.
  private static final String HOLDS = "WITH " + SessionCheck.cte(1, 2, 3) + " SELECT refusal FROM session_check";

  private static final String FIND_SESSION = """
      SELECT end_reason FROM sessions WHERE id = $1 AND meshwork_id = $2 AND agent = $3
      """;

  private static final String FIND_OPENER = """
      SELECT opened_by FROM sessions WHERE id = $1
      """;

  // $2: when it ended, if not now (a lease that had run out ended at its expiry).
  private static final String END_SESSION = """
      UPDATE sessions SET ended_at = COALESCE($2, now()), end_reason = $3 WHERE id = $1 AND ended_at IS NULL
      """;

  private static final String INSERT_SESSION = """
      INSERT INTO sessions (id, meshwork_id, agent, client, opened_by) VALUES ($1, $2, $3, $4, $5)
      """;

  // The open session of the agent that $3 opened (at most one: one open session per agent).
  static final String END_OPENED_BY = """
      UPDATE sessions SET ended_at = now(), end_reason = 'revoked'
       WHERE meshwork_id = $1 AND agent = $2 AND opened_by = $3 AND ended_at IS NULL
      RETURNING id
      """;

  // A new session starts with no activity: its agent is online until it does something (agent_status).
  private static final String HOLD_LEASE = """
      UPDATE presence
         SET session_id = $3, lease_expires_at = now() + $4::int * interval '1 second', client = $5,
             session_opened_at = now(), last_seen_at = now(), last_activity_at = NULL
       WHERE meshwork_id = $1 AND agent = $2
      RETURNING lease_expires_at
      """;

  private static final String RENEW_LEASE = """
      UPDATE presence
         SET lease_expires_at = now() + $3::int * interval '1 second', last_seen_at = now(),
             last_activity_at = CASE WHEN $4 THEN now() ELSE last_activity_at END
       WHERE meshwork_id = $1 AND agent = $2
      RETURNING lease_expires_at, agent_status(lease_expires_at, last_activity_at, waiting_until, $5::int, now()) AS status
      """;

  private static final String RELEASE_LEASE = """
      UPDATE presence SET session_id = NULL, lease_expires_at = NULL
       WHERE meshwork_id = $1 AND agent = $2 AND session_id = $3
      """;

  /** The agent's presence row as locked: the session holding the lease, if any, and whether the lease is live. */
  private record Holder(UUID sessionId, OffsetDateTime leaseExpiresAt, boolean live) {

    static Optional<Holder> from(RowSet<Row> rows) {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Holder(row.getUUID("session_id"), row.getOffsetDateTime("lease_expires_at"), row.getBoolean("live")));
    }

    boolean holds(UUID session) {
      return live && session.equals(sessionId);
    }
  }

  private final Pool pool;
  private final BusSettings settings;
  private final StatusReports reports;

  SessionRepository(Pool pool, BusSettings settings, StatusReports reports) {
    this.pool = pool;
    this.settings = settings;
    this.reports = reports;
  }

  /**
   * Opens a session for the agent; a live one stands in the way unless {@code takeOver}, which ends
   * it. {@code chosen} (null for none) is the id the client chose for it, so that an open it sent
   * again, not knowing whether the first arrived (a time-out), is answered with the session that
   * first one opened, not refused as another window's: the same id still holding the lease, opened
   * by the same caller, is that session. An id the mesh knows otherwise is refused.
   */
  Future<OpenedSession> open(AgentSlot slot, boolean takeOver, String client, String openedBy, UUID chosen) {
    return pool.withTransaction(conn -> conn.preparedQuery(ENSURE_PRESENCE).execute(slot(slot))
            .compose(v -> lock(conn, slot))
            .compose(found -> {
              Holder holder = found.orElseThrow();
              if (chosen != null) {
                return conn.preparedQuery(FIND_OPENER).execute(Tuple.of(chosen)).compose(rows -> {
                  if (rows.size() == 0) {
                    return openNew(conn, slot, holder, takeOver, chosen, client, openedBy);
                  }
                  Row known = rows.iterator().next();
                  if (holder.holds(chosen) && Objects.equals(openedBy, known.getString("opened_by"))) {
                    return Future.succeededFuture(new OpenedSession(chosen, slot.agent(), holder.leaseExpiresAt().toInstant(), false));
                  }
                  return Future.failedFuture(new ApiException(409, "session_id_taken",
                      "session id " + chosen + " is taken; open the session with a new one"));
                });
              }
              return openNew(conn, slot, holder, takeOver, Ids.newUuid(), client, openedBy);
            }))
        // Only reachable if the lock above were bypassed: the index still allows one open session.
        .recover(failure -> Future.failedFuture(Sql.hasState(failure, Sql.UNIQUE_VIOLATION) ? agentRunning() : failure));
  }

  private Future<OpenedSession> openNew(
      SqlConnection conn, AgentSlot slot, Holder holder, boolean takeOver, UUID id, String client, String openedBy) {
    if (holder.live() && !takeOver) {
      return Future.failedFuture(agentRunning());
    }
    return endPrevious(conn, slot, holder, id).compose(v -> start(conn, slot, id, client, openedBy, holder.live()));
  }

  private Future<OpenedSession> start(SqlConnection conn, AgentSlot slot, UUID id, String client, String openedBy, boolean tookOver) {
    return conn.preparedQuery(INSERT_SESSION).execute(Tuple.of(id, slot.meshwork(), slot.agent(), client, openedBy))
        .compose(v -> conn.preparedQuery(HOLD_LEASE).execute(Tuple.of(slot.meshwork(), slot.agent(), id, settings.leaseSeconds(), client)))
        .map(rows -> new OpenedSession(id, slot.agent(), Sql.instant(rows.iterator().next(), "lease_expires_at"), tookOver))
        .compose(opened -> PresenceEvents.record(conn, PresenceEvents.SESSION_OPENED, slot, new JsonObject()
                .put("session_id", id.toString())
                .put("client", client)
                .put("lease_seconds", settings.leaseSeconds())
                .put("expires_at", Sql.iso(opened.expiresAt()))
                .put("took_over", tookOver))
            .compose(v -> reports.reportOne(conn, slot))
            .map(opened));
  }

  /** Renews the lease of the session holding it; {@code busy} counts as activity. */
  Future<Lease> heartbeat(AgentSlot slot, UUID session, boolean busy) {
    return pool.withTransaction(conn -> lock(conn, slot)
        .compose(holder -> checkHolds(conn, slot, session, holder))
        .compose(v -> conn.preparedQuery(RENEW_LEASE)
            .execute(Tuple.of(slot.meshwork(), slot.agent(), settings.leaseSeconds(), busy, settings.idleSeconds())))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Lease(session, Sql.instant(row, "lease_expires_at"), row.getString("status"));
        })
        .compose(lease -> reports.reportOne(conn, slot).map(lease)));
  }

  /**
   * Succeeds if {@code session} holds the agent's live lease, else fails as a send made in it is
   * refused ({@link SessionCheck}): what the gateway asks before a window's memory and task calls.
   * A read without locks: a take-over that commits while the request runs orders after it.
   */
  Future<Void> requireHolds(AgentSlot slot, UUID session) {
    return pool.preparedQuery(HOLDS).execute(Tuple.of(session, slot.meshwork(), slot.agent())).compose(rows -> {
      ApiException refusal = SessionCheck.refusal(rows.iterator().next());
      return refusal == null ? Future.succeededFuture() : Future.failedFuture(refusal);
    });
  }

  /** Ends the session; one already ended stays as it is. */
  Future<Void> close(AgentSlot slot, UUID session) {
    return pool.withTransaction(conn -> lock(conn, slot)
        .compose(locked -> find(conn, slot, session).compose(endReason -> {
          if (endReason.isPresent()) {
            return Future.succeededFuture();
          }
          return conn.preparedQuery(END_SESSION).execute(Tuple.of(session, null, CLOSED))
              .compose(v -> conn.preparedQuery(RELEASE_LEASE).execute(Tuple.of(slot.meshwork(), slot.agent(), session)))
              .compose(v -> PresenceEvents.record(conn, PresenceEvents.SESSION_CLOSED, slot,
                  new JsonObject().put("session_id", session.toString())))
              .compose(v -> reports.reportOne(conn, slot));
        })));
  }

  /**
   * Ends the agent's open session if {@code openedBy} opened it (a member whose key was just
   * revoked): its lease is released, so the agent is offline on the next read, and the window's
   * next heartbeat or call is refused. Answers whether a session was ended.
   */
  Future<Boolean> endOpenedBy(AgentSlot slot, String openedBy) {
    return pool.withTransaction(conn -> lock(conn, slot)
        .compose(locked -> conn.preparedQuery(END_OPENED_BY).execute(Tuple.of(slot.meshwork(), slot.agent(), openedBy)))
        .compose(ended -> {
          if (ended.size() == 0) {
            return Future.succeededFuture(false);
          }
          UUID session = ended.iterator().next().getUUID("id");
          return conn.preparedQuery(RELEASE_LEASE).execute(Tuple.of(slot.meshwork(), slot.agent(), session))
              .compose(v -> PresenceEvents.record(conn, PresenceEvents.SESSION_CLOSED, slot,
                  new JsonObject().put("session_id", session.toString()).put("reason", REVOKED)))
              .compose(v -> reports.reportOne(conn, slot))
              .map(true);
        }));
  }

  private static Future<Optional<Holder>> lock(SqlConnection conn, AgentSlot slot) {
    return conn.preparedQuery(LOCK_PRESENCE).execute(slot(slot)).map(Holder::from);
  }

  /** Ends the session that held the lease before {@code next}: taken over if it was live, else expired when its lease ran out. */
  private static Future<Void> endPrevious(SqlConnection conn, AgentSlot slot, Holder holder, UUID next) {
    if (holder.sessionId() == null) {
      return Future.succeededFuture();
    }
    if (!holder.live()) {
      return conn.preparedQuery(END_SESSION).execute(Tuple.of(holder.sessionId(), holder.leaseExpiresAt(), EXPIRED)).mapEmpty();
    }
    return conn.preparedQuery(END_SESSION).execute(Tuple.of(holder.sessionId(), null, TAKEN_OVER))
        .compose(v -> PresenceEvents.record(conn, PresenceEvents.SESSION_TAKEN_OVER, slot, new JsonObject()
            .put("session_id", holder.sessionId().toString())
            .put("by_session_id", next.toString())));
  }

  /** Succeeds if {@code session} is the agent's and holds a live lease; otherwise says why not. */
  private static Future<Void> checkHolds(SqlConnection conn, AgentSlot slot, UUID session, Optional<Holder> holder) {
    return find(conn, slot, session).compose(endReason -> {
      if (endReason.isPresent()) {
        return Future.failedFuture(TAKEN_OVER.equals(endReason.get()) ? takenOver() : gone());
      }
      return holder.filter(h -> h.holds(session)).isPresent() ? Future.succeededFuture() : Future.failedFuture(gone());
    });
  }

  /** How the session ended: empty while it is open; a 404 if the agent has no such session. */
  private static Future<Optional<String>> find(SqlConnection conn, AgentSlot slot, UUID session) {
    return conn.preparedQuery(FIND_SESSION).execute(Tuple.of(session, slot.meshwork(), slot.agent())).compose(rows -> rows.size() == 0
        ? Future.failedFuture(unknownSession())
        : Future.succeededFuture(Optional.ofNullable(rows.iterator().next().getString("end_reason"))));
  }

  private static Tuple slot(AgentSlot slot) {
    return Tuple.of(slot.meshwork(), slot.agent());
  }

  static ApiException unknownSession() {
    return ApiException.notFound("this agent has no session with that id");
  }

  static ApiException agentRunning() {
    return new ApiException(409, "agent_running", "agent already running in another window");
  }

  static ApiException takenOver() {
    return new ApiException(409, "taken_over", "this agent was taken over by another window");
  }

  static ApiException gone() {
    return new ApiException(410, "gone", "the session ended; open a new one");
  }
}
