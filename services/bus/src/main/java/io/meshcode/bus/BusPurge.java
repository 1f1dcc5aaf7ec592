package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.kafka.Removals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * What the bus drops when an agent slot is removed or a meshwork deleted. A slot's name can be
 * given to a new agent: it must not find the old one's unread messages in its inbox, nor be
 * refused a session because the old one's lease still runs. What was written after the removal
 * is the new agent's and stays. The replay log keeps the removed agent's entries: they are the
 * meshwork's history. A deleted meshwork's log goes, and stores nothing more. Each purge can run
 * again and does nothing more.
 */
final class BusPurge implements Removals.Purge {

  private static final String LOCK_PRESENCE = """
      SELECT 1 FROM presence WHERE meshwork_id = $1 AND agent = $2 FOR UPDATE
      """;

  private static final String AGENT_SESSIONS = """
      DELETE FROM sessions WHERE meshwork_id = $1 AND agent = $2 AND opened_at <= $3
      """;

  private static final String AGENT_PRESENCE = """
      DELETE FROM presence
       WHERE meshwork_id = $1 AND agent = $2 AND (session_opened_at IS NULL OR session_opened_at <= $3)
      """;

  // What the agent read stays, so each sender still sees it read; the cursor stays with it, so a
  // new agent in the slot reads on from there.
  private static final String AGENT_UNREAD = """
      DELETE FROM deliveries d USING messages m
       WHERE d.meshwork_id = $1 AND d.agent = $2
         AND d.seq > COALESCE((SELECT acked_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2), 0)
         AND m.id = d.message_id AND m.created_at <= $3
      """;

  // Every agent's row, as a session change or a wait's read takes its own before the rest.
  private static final String LOCK_MESHWORK_PRESENCE = """
      SELECT 1 FROM presence WHERE meshwork_id = $1 ORDER BY agent FOR UPDATE
      """;

  private static final String TOMBSTONE = """
      INSERT INTO deleted_meshworks (meshwork_id, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING
      """;

  // Messages sent from the meshwork that reached no other meshwork (their log entry lists the
  // recipients): a linked meshwork's agents keep what they were sent. Before the log goes.
  private static final String MESHWORK_MESSAGES = """
      DELETE FROM messages m USING event_log l
       WHERE l.meshwork_id = $1 AND l.type = 'message.sent'
         AND m.id = CASE WHEN l.type = 'message.sent' THEN l.id::uuid END AND m.meshwork_id = $1
         AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(l.payload -> 'recipients') AS r(meshwork_id uuid)
                          WHERE r.meshwork_id <> $1)
      """;

  // The counters stay: nothing numbered in the meshwork is ever numbered again.
  private static final List<String> MESHWORK_REST = List.of(
      "DELETE FROM deliveries WHERE meshwork_id = $1",
      "DELETE FROM inbox_cursors WHERE meshwork_id = $1",
      "DELETE FROM inbox_marks WHERE meshwork_id = $1",
      "DELETE FROM sessions WHERE meshwork_id = $1",
      "DELETE FROM presence WHERE meshwork_id = $1",
      "DELETE FROM event_log WHERE meshwork_id = $1");

  private final Pool pool;

  BusPurge(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> agentRemoved(UUID meshwork, String agent, Instant at) {
    Tuple slot = Tuple.of(meshwork, agent);
    Tuple before = Tuple.of(meshwork, agent, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    // The locks a send takes, then the agent's own, in that order: a send to the agent that began
    // before the removal has committed, and no session change runs alongside.
    return pool.withTransaction(conn -> MessageRepository.lockLogsAndInboxes(conn, List.of(meshwork))
        .compose(v -> conn.preparedQuery(LOCK_PRESENCE).execute(slot))
        .compose(v -> conn.preparedQuery(AGENT_SESSIONS).execute(before))
        .compose(v -> conn.preparedQuery(AGENT_PRESENCE).execute(before))
        .compose(v -> conn.preparedQuery(AGENT_UNREAD).execute(before))
        .mapEmpty());
  }

  @Override
  public Future<Void> meshworkDeleted(UUID meshwork, Instant at) {
    Tuple id = Tuple.of(meshwork);
    return pool.withTransaction(conn -> MessageRepository.lockLogsAndInboxes(conn, List.of(meshwork))
        .compose(v -> conn.preparedQuery(LOCK_MESHWORK_PRESENCE).execute(id))
        .compose(v -> conn.preparedQuery(TOMBSTONE).execute(Tuple.of(meshwork, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))))
        .compose(v -> conn.preparedQuery(MESHWORK_MESSAGES).execute(id))
        .compose(v -> Sql.each(MESHWORK_REST, statement -> conn.preparedQuery(statement).execute(id))));
  }
}
