package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * One-time dashboard tickets in the gateway's schema, stored as SHA-256 hashes only. A ticket
 * keeps the hash of the key that minted it (never the key), which the session it is redeemed
 * into ({@link DashboardSessions#open}) stays bound to.
 */
final class TicketRepository {

  /** A ticket just minted: the only moment its text exists outside its holder's hands. */
  record NewTicket(String ticket, OffsetDateTime expiresAt) {}

  static final String PREFIX = "mc_tk_";
  static final int LIFETIME_SECONDS = 60;

  // Long-expired rows are swept by every mint: no job to schedule, and the table stays small.
  static final String DELETE_OLD = """
      DELETE FROM dashboard_tickets WHERE expires_at < now() - interval '1 hour'
      """;

  private static final String INSERT = """
      INSERT INTO dashboard_tickets (ticket_hash, kind, key_hash, expires_at)
      VALUES ($1, $2, $3, now() + make_interval(secs => $4))
      RETURNING expires_at
      """;

  private final Pool pool;

  TicketRepository(Pool pool) {
    this.pool = pool;
  }

  /** A ticket for {@code caller}, who presented the key whose SHA-256 hash is {@code keyHash}. */
  Future<NewTicket> mint(Caller caller, byte[] keyHash) {
    String ticket = SecretKeys.generate(PREFIX);
    Tuple row = Tuple.of(Buffer.buffer(SecretKeys.hash(ticket)), caller.kind().wireName(), Buffer.buffer(keyHash),
        (double) LIFETIME_SECONDS);
    return pool.withTransaction(conn -> conn.preparedQuery(DELETE_OLD).execute()
        .compose(ignored -> conn.preparedQuery(INSERT).execute(row))
        .map(rows -> new NewTicket(ticket, rows.iterator().next().getOffsetDateTime("expires_at"))));
  }
}
