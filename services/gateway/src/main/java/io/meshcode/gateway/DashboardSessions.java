package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Dashboard sessions ({@code mc_ds_…}): what a browser holds once it has redeemed a one-time
 * ticket, kept in the gateway's schema as SHA-256 hashes only, for a fixed lifetime. A session
 * stands for the key that minted its ticket and knows that key only by its hash; every request
 * resolves the key again, by the same paths as the key itself, so a session never outlives it.
 */
final class DashboardSessions {

  /**
   * What a session may not do, though its key may: mint tickets, keys or accounts. A session
   * stolen from a browser must not turn into credentials that outlive it.
   */
  static final Set<String> REFUSED_OPERATIONS = Set.of("createTicket", "createKey", "createAccount");

  /** How a session's key, known by its hash, becomes a caller (or fails as the key would). */
  @FunctionalInterface
  interface KeyResolver {
    Future<Caller> resolve(KeyKind kind, byte[] keyHash);
  }

  /** A session just opened: the only moment its text exists outside its holder's hands. */
  record Opened(String session, OffsetDateTime expiresAt) {}

  // Long-expired rows are swept by every sign-in: no job to schedule, and the table stays small.
  static final String DELETE_OLD = """
      DELETE FROM dashboard_sessions WHERE expires_at < now() - interval '1 hour'
      """;

  // One statement: of two redeems racing for one ticket, exactly one gets the row and a session.
  static final String OPEN = """
      WITH redeemed AS (
        UPDATE dashboard_tickets SET redeemed_at = now()
         WHERE ticket_hash = $1 AND redeemed_at IS NULL AND expires_at > now()
        RETURNING kind, key_hash
      )
      INSERT INTO dashboard_sessions (session_hash, key_kind, key_hash, expires_at)
      SELECT $2, kind, key_hash, now() + make_interval(secs => $3) FROM redeemed
      RETURNING expires_at
      """;

  static final String FIND = """
      SELECT key_kind, key_hash FROM dashboard_sessions WHERE session_hash = $1 AND expires_at > now()
      """;

  static final String END = """
      DELETE FROM dashboard_sessions WHERE session_hash = $1
      """;

  private final Pool pool;
  private final Duration lifetime;

  DashboardSessions(Pool pool, Duration lifetime) {
    this.pool = pool;
    this.lifetime = lifetime;
  }

  /** Redeems {@code ticket} into a new session; empty for an unknown, expired or already redeemed ticket. */
  Future<Optional<Opened>> open(String ticket) {
    String session = SecretKeys.generate(SecretKeys.DASHBOARD_SESSION);
    Tuple row = Tuple.of(Buffer.buffer(SecretKeys.hash(ticket)), Buffer.buffer(SecretKeys.hash(session)))
        .addDouble((double) lifetime.toSeconds());
    return pool.withTransaction(conn -> conn.preparedQuery(DELETE_OLD).execute()
        .compose(ignored -> conn.preparedQuery(OPEN).execute(row))
        .map(rows -> rows.size() == 0
            ? Optional.empty()
            : Optional.of(new Opened(session, rows.iterator().next().getOffsetDateTime("expires_at")))));
  }

  /** The caller a live session stands for: its key's, as that key resolves right now; else 401. */
  Future<Caller> authenticate(String session, KeyResolver keys) {
    return pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(SecretKeys.hash(session)))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ApiException.unauthorized(
            "the dashboard session has ended (expired or signed out); run meshcode dashboard to sign in again"));
      }
      Row row = rows.iterator().next();
      KeyKind kind = KeyKind.valueOf(row.getString("key_kind").toUpperCase(Locale.ROOT));
      return keys.resolve(kind, row.getBuffer("key_hash").getBytes())
          .map(Caller::throughDashboardSession)
          .recover(failure -> Future.failedFuture(failure instanceof ApiException api && api.status() == 401
              ? ApiException.unauthorized("the key this dashboard session was signed in with has been revoked")
              : failure));
    });
  }

  /** Ends a session (signing out); ending one that has ended already is harmless. */
  Future<Void> end(String session) {
    return pool.preparedQuery(END).execute(Tuple.of(Buffer.buffer(SecretKeys.hash(session)))).mapEmpty();
  }
}
