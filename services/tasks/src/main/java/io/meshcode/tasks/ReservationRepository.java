package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * File reservations. Whether two patterns overlap is decided in Java ({@link PathPattern}), which no
 * index can enforce, so every reserve and release of a meshwork first locks that meshwork's row in
 * {@code reservation_guards}: they take turns on any number of replicas, and of two conflicting
 * reservations racing, the second sees the first.
 *
 * <p>A reservation whose time is up counts for nothing from that instant (every query compares
 * with {@code now()}). Its row is deleted, and {@code reservation.expired} written, by whichever
 * transaction deletes it first: the sweeper ({@code FOR UPDATE SKIP LOCKED}, so replicas never
 * take the same rows) or a reserve or release in its meshwork, which clears the expired rows there
 * before it looks. A row is deleted once, so each expiry is reported once.
 */
final class ReservationRepository {

  /** The most live reservations one agent may hold, which bounds the work of each overlap check. */
  static final int MAX_PER_AGENT = 200;

  private static final String GUARD = """
      INSERT INTO reservation_guards (meshwork_id) VALUES ($1)
      ON CONFLICT (meshwork_id) DO UPDATE SET meshwork_id = EXCLUDED.meshwork_id
      """;

  static final String PURGE = """
      DELETE FROM reservations WHERE meshwork_id = $1 AND expires_at <= now()
      RETURNING %s
      """.formatted(Reservation.COLUMNS);

  private static final String LIVE_OF_OTHERS = """
      SELECT %s FROM reservations WHERE meshwork_id = $1 AND agent <> $2 AND expires_at > now()
      """.formatted(Reservation.COLUMNS);

  // Expired rows of the meshwork are gone by now, so a conflict is always a live reservation: a renewal.
  static final String UPSERT = """
      INSERT INTO reservations (meshwork_id, agent, path, reason, shared, expires_at)
      SELECT $1, $2, path, $4, $5, now() + $6::int * interval '1 second' FROM unnest($3::text[]) AS path
      ON CONFLICT (meshwork_id, agent, path)
      DO UPDATE SET reason = EXCLUDED.reason, shared = EXCLUDED.shared, expires_at = EXCLUDED.expires_at, renewed_at = now()
      RETURNING %s, (xmax = 0) AS inserted
      """.formatted(Reservation.COLUMNS);

  static final String COUNT_OWN = """
      SELECT count(*) AS held FROM reservations WHERE meshwork_id = $1 AND agent = $2 AND expires_at > now()
      """;

  static final String RELEASE_SOME = """
      DELETE FROM reservations WHERE meshwork_id = $1 AND agent = $2 AND path = ANY($3::text[])
      RETURNING path
      """;

  static final String RELEASE_ALL = """
      DELETE FROM reservations WHERE meshwork_id = $1 AND agent = $2
      RETURNING path
      """;

  private static final String LIST = """
      SELECT %s FROM reservations
       WHERE meshwork_id = $1 AND expires_at > now() AND ($2::text IS NULL OR agent = $2)
       ORDER BY created_at, agent, path
      """.formatted(Reservation.COLUMNS);

  // SKIP LOCKED: rows a request or another replica's sweep holds are theirs. A row renewed and
  // committed meanwhile is checked again on its new version, and no longer qualifies.
  static final String SWEEP = """
      WITH expired AS (
        SELECT meshwork_id, agent, path FROM reservations
         WHERE expires_at <= now()
         ORDER BY expires_at
         LIMIT $1
           FOR UPDATE SKIP LOCKED
      )
      DELETE FROM reservations r
       USING expired e
       WHERE r.meshwork_id = e.meshwork_id AND r.agent = e.agent AND r.path = e.path
      RETURNING r.meshwork_id, r.agent, r.path, r.reason, r.shared, r.created_at, r.expires_at
      """;

  private final Pool pool;
  private final Runnable onCommit;

  ReservationRepository(Pool pool, Runnable onCommit) {
    this.pool = pool;
    this.onCommit = onCommit;
  }

  /**
   * Grants every path or none: a path that overlaps another agent's live reservation (unless both
   * are shared) is 409 {@code reserved} listing each reservation in the way. The holder's own
   * paths are renewed with the new reason, time and sharing.
   */
  Future<List<Reservation>> reserve(Actor holder, ReservationRequest request) {
    return pool.withTransaction(conn -> guard(conn, holder.meshwork())
            .compose(v -> conn.preparedQuery(LIVE_OF_OTHERS).execute(Tuple.of(holder.meshwork(), holder.agent())))
            .compose(rows -> {
              checkConflicts(request, Sql.rows(rows).stream().map(Reservation::from).toList());
              return conn.preparedQuery(UPSERT).execute(Tuple.of(holder.meshwork(), holder.agent(),
                  request.texts().toArray(String[]::new), request.reason(), request.shared(), request.ttlSeconds()));
            })
            .compose(rows -> {
              List<Reservation> granted = new ArrayList<>();
              List<String> renewed = new ArrayList<>();
              for (Row row : rows) {
                Reservation reservation = Reservation.from(row);
                granted.add(reservation);
                if (!row.getBoolean("inserted")) {
                  renewed.add(reservation.path());
                }
              }
              Instant expiresAt = granted.get(0).expiresAt();
              return checkLimit(conn, holder)
                  .compose(v -> TaskEvents.reserved(conn, holder, request.texts(), request.reason(), request.shared(),
                      request.ttlSeconds(), expiresAt, renewed))
                  .map(v -> granted);
            }))
        .onSuccess(v -> onCommit.run());
  }

  /** Releases the holder's reservations of exactly these paths, or all of them ({@code paths} null); answers the paths released. */
  Future<List<String>> release(Actor holder, List<String> paths) {
    return pool.withTransaction(conn -> guard(conn, holder.meshwork())
            .compose(v -> paths == null
                ? conn.preparedQuery(RELEASE_ALL).execute(Tuple.of(holder.meshwork(), holder.agent()))
                : conn.preparedQuery(RELEASE_SOME).execute(Tuple.of(holder.meshwork(), holder.agent(), paths.toArray(String[]::new))))
            .compose(rows -> {
              List<String> released = new ArrayList<>();
              rows.forEach(row -> released.add(row.getString("path")));
              return released.isEmpty()
                  ? Future.succeededFuture(released)
                  : TaskEvents.released(conn, holder, released).map(released);
            }))
        .onSuccess(v -> onCommit.run());
  }

  /** The meshwork's live reservations, of one agent when {@code agent} is given. */
  Future<List<Reservation>> list(UUID meshwork, String agent) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork, agent))
        .map(rows -> Sql.rows(rows).stream().map(Reservation::from).toList());
  }

  /** Deletes up to {@code limit} expired reservations, reporting each; answers how many. For the sweeper. */
  static Future<Integer> sweep(SqlConnection conn, int limit) {
    return conn.preparedQuery(SWEEP).execute(Tuple.of(limit)).compose(rows -> {
      List<Row> expired = Sql.rows(rows);
      return Sql.each(expired, row -> TaskEvents.expired(conn, new Actor(row.getUUID("meshwork_id"), row.getString("agent")),
          Reservation.from(row))).map(expired.size());
    });
  }

  /** Takes the meshwork's turn, then clears (and reports) what expired there, so nothing expired is in the way. */
  static Future<Void> guard(SqlConnection conn, UUID meshwork) {
    return conn.preparedQuery(GUARD).execute(Tuple.of(meshwork))
        .compose(v -> conn.preparedQuery(PURGE).execute(Tuple.of(meshwork)))
        .compose(rows -> Sql.each(Sql.rows(rows), row -> {
          Reservation expired = Reservation.from(row);
          return TaskEvents.expired(conn, new Actor(meshwork, expired.agent()), expired);
        }));
  }

  private static Future<Void> checkLimit(SqlConnection conn, Actor holder) {
    return conn.preparedQuery(COUNT_OWN).execute(Tuple.of(holder.meshwork(), holder.agent())).compose(rows -> {
      long held = rows.iterator().next().getLong("held");
      return held > MAX_PER_AGENT
          ? Future.failedFuture(new ApiException(409, "too_many_reservations",
              "an agent may hold at most " + MAX_PER_AGENT + " reservations; release some first"))
          : Future.succeededFuture();
    });
  }

  private static void checkConflicts(ReservationRequest request, List<Reservation> others) {
    JsonArray conflicts = new JsonArray();
    String first = null;
    for (PathPattern wanted : request.paths()) {
      for (Reservation other : others) {
        if (request.shared() && other.shared()) {
          continue;
        }
        if (wanted.overlaps(PathPattern.parse(other.path(), "path"))) {
          conflicts.add(new JsonObject()
              .put("requested", wanted.text())
              .put("path", other.path())
              .put("holder", other.agent())
              .put("reason", other.reason())
              .put("shared", other.shared())
              .put("expires_at", Sql.iso(other.expiresAt())));
          if (first == null) {
            first = "'" + wanted.text() + "' is reserved by '" + other.agent() + "' as '" + other.path() + "' until "
                + Sql.iso(other.expiresAt()) + " (" + other.reason() + ")";
          }
        }
      }
    }
    if (!conflicts.isEmpty()) {
      String more = conflicts.size() > 1 ? "; " + (conflicts.size() - 1) + " more in 'conflicts'" : "";
      throw new Conflict("reserved", first + more, new JsonObject().put("conflicts", conflicts));
    }
  }
}
