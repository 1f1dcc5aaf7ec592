package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.SecretKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

/** One-time dashboard tickets in the gateway's schema, stored as SHA-256 hashes only. */
final class TicketRepository {

  /** A ticket just minted: the only moment its text exists outside its holder's hands. */
  record NewTicket(String ticket, OffsetDateTime expiresAt) {}

  static final String PREFIX = "mc_tk_";
  static final int LIFETIME_SECONDS = 60;

  // Long-expired rows are swept by every mint: no job to schedule, and the table stays small.
  private static final String DELETE_OLD = """
      DELETE FROM dashboard_tickets WHERE expires_at < now() - interval '1 hour'
      """;

  private static final String INSERT = """
      INSERT INTO dashboard_tickets (ticket_hash, kind, subject, name, is_admin, meshwork_id, meshwork, agent, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))
      RETURNING expires_at
      """;

  // One statement: of two redeems racing for one ticket, exactly one gets the row.
  private static final String REDEEM = """
      UPDATE dashboard_tickets SET redeemed_at = now()
       WHERE ticket_hash = $1 AND redeemed_at IS NULL AND expires_at > now()
      RETURNING kind, subject, name, is_admin, meshwork_id, meshwork, agent
      """;

  private final Pool pool;

  TicketRepository(Pool pool) {
    this.pool = pool;
  }

  Future<NewTicket> mint(Caller caller) {
    String ticket = SecretKeys.generate(PREFIX);
    Tuple row = Tuple.of(Buffer.buffer(SecretKeys.hash(ticket)), caller.kind().wireName(), caller.id(), caller.name(),
            caller.admin(), caller.meshworkId(), caller.meshwork(), caller.agent())
        .addDouble((double) LIFETIME_SECONDS);
    return pool.withTransaction(conn -> conn.preparedQuery(DELETE_OLD).execute()
        .compose(ignored -> conn.preparedQuery(INSERT).execute(row))
        .map(rows -> new NewTicket(ticket, rows.iterator().next().getOffsetDateTime("expires_at"))));
  }

  /** Who the ticket was minted for, once; empty for an unknown, expired or already redeemed ticket. */
  Future<Optional<Caller>> redeem(String ticket) {
    return pool.preparedQuery(REDEEM).execute(Tuple.of(Buffer.buffer(SecretKeys.hash(ticket)))).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      KeyKind kind = KeyKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT));
      return Optional.of(new Caller(kind, row.getString("subject"), null, row.getBoolean("is_admin"), row.getString("name"),
          row.getString("meshwork_id"), row.getString("meshwork"), row.getString("agent")));
    });
  }
}
