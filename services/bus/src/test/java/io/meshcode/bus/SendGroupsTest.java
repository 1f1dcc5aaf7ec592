package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Group commit of sends")
class SendGroupsTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  @BeforeAll
  static void probeTable() {
    TestServices.await(schema.pool().query("CREATE TABLE IF NOT EXISTS group_commit_probe (n int PRIMARY KEY)").execute());
    // Locks two meshworks' inbox positions one after the other, pausing after each: a send whose
    // writes take their locks as they go.
    TestServices.await(schema.pool().query("""
        CREATE OR REPLACE FUNCTION lock_then_pause(first uuid, second uuid) RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO inbox_positions (meshwork_id, last_seq) VALUES (first, 0)
          ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = inbox_positions.last_seq;
          PERFORM pg_sleep(0.2);
          INSERT INTO inbox_positions (meshwork_id, last_seq) VALUES (second, 0)
          ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = inbox_positions.last_seq;
          PERFORM pg_sleep(0.2);
          RETURN 1;
        END $$
        """).execute());
  }

  /** A statement that answers its one row's {@code tx}. */
  private static SendGroups.Statement<Long> statement(String sql, Tuple params) {
    return new SendGroups.Statement<>(sql, params, rows -> rows.iterator().next().getLong("tx"));
  }

  /** Inserts {@code n} and answers the id of the transaction it ran in. */
  private static SendGroups.Statement<Long> insert(int n) {
    return statement("INSERT INTO group_commit_probe (n) VALUES ($1) RETURNING txid_current() AS tx", Tuple.of(n));
  }

  /** A first send that holds its transaction open for a moment, so the next ones gather behind it. */
  private static Future<Long> slowFirst(SendGroups<Long> groups, int n) {
    return groups.submit(Set.of(), statement(
        "INSERT INTO group_commit_probe (n) SELECT $1::int FROM pg_sleep(0.3) RETURNING txid_current() AS tx", Tuple.of(n)));
  }

  private static long count(int from, int to) {
    return TestServices.await(schema.pool().preparedQuery("SELECT count(*) AS c FROM group_commit_probe WHERE n BETWEEN $1 AND $2")
        .execute(Tuple.of(from, to))).iterator().next().getLong("c");
  }

  @Test
  @DisplayName("sends that arrive while a transaction is open share the next one, and each is answered once committed")
  void gather() {
    SendGroups<Long> groups = new SendGroups<>(schema.pool(), (conn, locks) -> Future.succeededFuture());
    Future<Long> first = slowFirst(groups, 1000);
    List<Future<Long>> rest = new ArrayList<>();
    for (int n = 1001; n <= 1040; n++) {
      int value = n;
      rest.add(groups.submit(Set.of(), insert(value)));
    }
    TestServices.await(Future.all(rest));
    long firstTx = TestServices.await(first);
    var restTx = new HashSet<Long>();
    rest.forEach(f -> restTx.add(f.result()));
    assertThat(restTx).hasSize(1).doesNotContain(firstTx);
    assertThat(count(1000, 1040)).isEqualTo(41);
  }

  @Test
  @DisplayName("a send that fails fails alone: the others of its group are stored")
  void failureIsolated() {
    SendGroups<Long> groups = new SendGroups<>(schema.pool(), (conn, locks) -> Future.succeededFuture());
    slowFirst(groups, 2000);
    List<Future<Long>> group = new ArrayList<>();
    for (int n = 2001; n <= 2010; n++) {
      int value = n;
      group.add(groups.submit(Set.of(), value == 2005
          ? statement("INSERT INTO group_commit_probe (n) VALUES ($1::int / 0) RETURNING txid_current() AS tx", Tuple.of(value))
          : insert(value)));
    }
    TestServices.await(Future.join(group).recover(ignored -> Future.succeededFuture()));
    assertThat(group.get(4).failed()).isTrue();
    assertThat(group.get(4).cause().getMessage()).contains("division by zero");
    assertThat(group.stream().filter(Future::succeeded)).hasSize(9);
    assertThat(count(2001, 2010)).isEqualTo(9);
    assertThat(count(2005, 2005)).isZero();
  }

  @Test
  @DisplayName("two groups that lock the same meshworks in opposite orders do not deadlock: each takes all its locks first, in one order")
  void noDeadlockAcrossGroups() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    long deadlocksBefore = deadlocks();
    // Two replicas' groups whose sends reach A and B: one group's writes lock A then B, the other's B then A.
    SendGroups<Long> one = new SendGroups<>(schema.pool(), MessageRepository::lockLogsAndInboxes);
    SendGroups<Long> other = new SendGroups<>(schema.pool(), MessageRepository::lockLogsAndInboxes);
    List<Future<Long>> sends = List.of(
        one.submit(Set.of(a, b), lockThenPause(a, b)),
        other.submit(Set.of(a, b), lockThenPause(b, a)));
    TestServices.await(Future.join(sends).recover(ignored -> Future.succeededFuture()));
    assertThat(sends).allMatch(Future::succeeded);
    assertThat(deadlocks()).isEqualTo(deadlocksBefore);
  }

  @Test
  @DisplayName("a group and the replay log's writer (a meshwork's log counter, then its inbox positions for a task notice) do not deadlock")
  void noDeadlockWithTheReplayLog() {
    UUID a = UUID.randomUUID();
    long deadlocksBefore = deadlocks();
    Promise<Void> counterHeld = Promise.promise();
    Future<Void> logWriter = schema.pool().withTransaction(conn -> upsert(conn, "event_log_seq", a)
        .onSuccess(v -> counterHeld.complete())
        .compose(v -> conn.query("SELECT pg_sleep(0.3)").execute())
        .compose(v -> upsert(conn, "inbox_positions", a)));
    // The group's send logs its message: it bumps the same counter, after the group's locks.
    SendGroups<Long> group = new SendGroups<>(schema.pool(), MessageRepository::lockLogsAndInboxes);
    Future<Long> send = counterHeld.future().compose(v -> group.submit(Set.of(a), new SendGroups.Statement<>(
        "UPDATE event_log_seq SET last_seq = last_seq + 1 WHERE meshwork_id = $1", Tuple.of(a), rows -> 1L)));
    TestServices.await(Future.join(logWriter, send).recover(ignored -> Future.succeededFuture()));
    assertThat(logWriter.succeeded()).as(String.valueOf(logWriter.cause())).isTrue();
    assertThat(send.succeeded()).as(String.valueOf(send.cause())).isTrue();
    assertThat(deadlocks()).isEqualTo(deadlocksBefore);
  }

  @Test
  @DisplayName("a lone send whose statement takes its own locks runs as that one statement; one that relies on the group's locks gets them")
  void loneStatement() {
    List<List<UUID>> locked = new ArrayList<>();
    SendGroups<Long> groups = new SendGroups<>(schema.pool(), (conn, locks) -> {
      locked.add(locks);
      return Future.succeededFuture();
    });
    UUID meshwork = UUID.randomUUID();
    String sql = "INSERT INTO group_commit_probe (n) VALUES ($1) RETURNING txid_current() AS tx";
    TestServices.await(groups.submit(Set.of(meshwork), new SendGroups.Statement<>(sql, Tuple.of(3000), rows -> 1L, true)));
    assertThat(locked).isEmpty();
    TestServices.await(groups.submit(Set.of(meshwork), new SendGroups.Statement<>(sql, Tuple.of(3001), rows -> 1L)));
    assertThat(locked).containsExactly(List.of(meshwork));
    assertThat(count(3000, 3001)).isEqualTo(2);
  }

  @Test
  @DisplayName("a lone send takes the log counters before the inbox positions: it holds its counter while it waits for a position")
  void loneSendTakesCountersFirst() {
    UUID meshwork = UUID.randomUUID();
    createRows(meshwork);
    MessageRepository.Accepted sent = whileAnotherHolds("inbox_positions", meshwork,
        () -> loneSend(new AgentSlot(meshwork, "alice"), List.of(new Recipient(meshwork, "team", "bob"))),
        () -> assertThat(rowFree("event_log_seq", meshwork)).as("the send holds the log counter while it waits").isFalse());
    assertThat(sent.seqs()).as("the position after the other writer's").containsExactly(2L);
  }

  @Test
  @DisplayName("a lone send takes its meshworks' log counters in uuid order, whatever the order of its recipients")
  void loneSendTakesCountersInOrder() {
    UUID lower = UUID.fromString("10000000-0000-4000-8000-" + String.format("%012x", System.nanoTime() & 0xffffffffffffL));
    UUID higher = UUID.fromString("20000000-0000-4000-8000-" + String.format("%012x", System.nanoTime() & 0xffffffffffffL));
    createRows(lower);
    createRows(higher);
    // The sender is in the higher meshwork, so the send's log lists the higher one first.
    MessageRepository.Accepted sent = whileAnotherHolds("event_log_seq", lower,
        () -> loneSend(new AgentSlot(higher, "alice"), List.of(new Recipient(lower, "other", "bob"))),
        () -> assertThat(rowFree("event_log_seq", higher)).as("the send waits for the lower counter before it takes the higher").isTrue());
    assertThat(sent.seqs()).containsExactly(1L);
  }

  @Test
  @DisplayName("in a group of three sends, the middle one, made in a session taken over, is refused and stores nothing; the other two are stored")
  void refusedSendFailsAlone() {
    UUID meshwork = UUID.randomUUID();
    UUID held = window(meshwork, "alice", true);
    UUID takenOver = window(meshwork, "bob", false);
    SendGroups<MessageRepository.SendOutcome> groups = new SendGroups<>(schema.pool(), MessageRepository::lockLogsAndInboxes);
    // A first statement holds its transaction open for a moment, so the three sends gather behind it into one group.
    groups.submit(Set.of(), new SendGroups.Statement<>("SELECT pg_sleep(0.3)", Tuple.tuple(), rows -> new MessageRepository.StoredBefore()));
    List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    List<Future<MessageRepository.SendOutcome>> sends = List.of(
        groups.submit(Set.of(meshwork), sendToDave(meshwork, "alice", ids.get(0), held)),
        groups.submit(Set.of(meshwork), sendToDave(meshwork, "bob", ids.get(1), takenOver)),
        groups.submit(Set.of(meshwork), sendToDave(meshwork, "carol", ids.get(2), null)));
    TestServices.await(Future.all(sends));

    assertThat(sends.get(1).result()).isInstanceOfSatisfying(MessageRepository.Refused.class, refused -> {
      assertThat(refused.reason().status()).isEqualTo(409);
      assertThat(refused.reason().code()).isEqualTo("taken_over");
    });
    assertThat(sends.get(0).result()).isInstanceOfSatisfying(MessageRepository.Accepted.class,
        accepted -> assertThat(accepted.seqs()).containsExactly(1L));
    assertThat(sends.get(2).result()).as("the refused send took no position").isInstanceOfSatisfying(MessageRepository.Accepted.class,
        accepted -> assertThat(accepted.seqs()).containsExactly(2L));
    List<String> stored = new ArrayList<>();
    Set<String> transactions = new HashSet<>();
    TestServices.await(schema.pool().preparedQuery("SELECT id, xmin::text AS tx FROM messages WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))).forEach(row -> {
          stored.add(row.getUUID("id").toString());
          transactions.add(row.getString("tx"));
        });
    assertThat(stored).containsExactlyInAnyOrder(ids.get(0).toString(), ids.get(2).toString());
    assertThat(transactions).as("stored by one transaction: the group's").hasSize(1);
    assertThat(TestServices.await(schema.pool().preparedQuery("SELECT count(*) AS c FROM event_log WHERE meshwork_id = $1")
        .execute(Tuple.of(meshwork))).iterator().next().getLong("c")).as("log entries").isEqualTo(2);
  }

  /**
   * A window's session of the agent: holding its lease, or ended by a take-over (another session
   * holds the lease now). Answers the session's id.
   */
  private static UUID window(UUID meshwork, String agent, boolean holds) {
    UUID session = UUID.randomUUID();
    TestServices.await(schema.pool().preparedQuery("""
        INSERT INTO sessions (id, meshwork_id, agent, ended_at, end_reason)
        VALUES ($1, $2, $3, CASE WHEN $4 THEN NULL ELSE now() END, CASE WHEN $4 THEN NULL ELSE 'taken_over' END)
        """).execute(Tuple.of(session, meshwork, agent, holds)));
    TestServices.await(schema.pool().preparedQuery("""
        INSERT INTO presence (meshwork_id, agent, session_id, lease_expires_at) VALUES ($1, $2, $3, now() + interval '1 minute')
        """).execute(Tuple.of(meshwork, agent, holds ? session : UUID.randomUUID())));
    return session;
  }

  private static SendGroups.Statement<MessageRepository.SendOutcome> sendToDave(UUID meshwork, String sender, UUID id, UUID session) {
    OutgoingMessage message = new OutgoingMessage(id, true, "dave", "message", "hello", null, null, null, null);
    return MessageRepository.sendStatement(new AgentSlot(meshwork, sender), "team", message,
        List.of(new Recipient(meshwork, "team", "dave")), BusSettings.DEFAULT_IDLE_SECONDS, session);
  }

  /**
   * Starts {@code send} while another transaction holds the meshwork's row of {@code table}, runs
   * {@code check} once the send waits for a lock, then lets the other transaction end; answers the send's outcome.
   */
  private static MessageRepository.Accepted whileAnotherHolds(
      String table, UUID meshwork, Supplier<Future<MessageRepository.Accepted>> send, Runnable check) {
    Promise<Void> release = Promise.promise();
    Promise<Void> held = Promise.promise();
    Future<Void> other = schema.pool().withTransaction(conn -> upsert(conn, table, meshwork)
        .onSuccess(v -> held.complete())
        .compose(v -> release.future()));
    TestServices.await(held.future());
    Future<MessageRepository.Accepted> sent = send.get();
    try {
      awaitSendWaitingForALock();
      check.run();
    } finally {
      release.complete();
    }
    TestServices.await(other);
    return TestServices.await(sent);
  }

  private static Future<MessageRepository.Accepted> loneSend(AgentSlot sender, List<Recipient> recipients) {
    OutgoingMessage message = new OutgoingMessage(UUID.randomUUID(), false, recipients.get(0).agent(), "message", "hello", null, null, null, null);
    Set<UUID> locks = new HashSet<>();
    locks.add(sender.meshwork());
    recipients.forEach(r -> locks.add(r.meshwork()));
    SendGroups<MessageRepository.SendOutcome> groups = new SendGroups<>(schema.pool(), MessageRepository::lockLogsAndInboxes);
    return groups.submit(locks, MessageRepository.sendStatement(sender, "team", message, recipients, BusSettings.DEFAULT_IDLE_SECONDS, null))
        .map(MessageRepository.Accepted.class::cast);
  }

  /** The meshwork's counter and positions exist, so a lock on them shows (an uncommitted new row would not). */
  private static void createRows(UUID meshwork) {
    TestServices.await(schema.pool().withTransaction(conn -> upsert(conn, "event_log_seq", meshwork)
        .compose(v -> upsert(conn, "inbox_positions", meshwork))));
  }

  private static void awaitSendWaitingForALock() {
    for (int tries = 0; tries < 200; tries++) {
      long waiting = TestServices.await(schema.pool().query(
          "SELECT count(*) AS c FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO messages%'")
          .execute()).iterator().next().getLong("c");
      if (waiting > 0) {
        return;
      }
      TestServices.await(schema.pool().query("SELECT pg_sleep(0.01)").execute());
    }
    throw new AssertionError("the send never waited for a lock");
  }

  /** Whether another transaction could lock the meshwork's row of {@code table} now. */
  private static boolean rowFree(String table, UUID meshwork) {
    return TestServices.await(schema.pool().withTransaction(conn -> conn
            .preparedQuery("SELECT 1 FROM " + table + " WHERE meshwork_id = $1 FOR UPDATE NOWAIT").execute(Tuple.of(meshwork)))
        .map(rows -> true)
        .recover(e -> e.getMessage().contains("could not obtain lock") ? Future.succeededFuture(false) : Future.failedFuture(e)));
  }

  private static Future<Void> upsert(SqlConnection conn, String table, UUID meshwork) {
    return conn.preparedQuery("INSERT INTO " + table + " (meshwork_id, last_seq) VALUES ($1, 0) "
        + "ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = " + table + ".last_seq + 1").execute(Tuple.of(meshwork)).mapEmpty();
  }

  private static SendGroups.Statement<Long> lockThenPause(UUID first, UUID second) {
    return new SendGroups.Statement<>("SELECT lock_then_pause($1, $2) AS tx", Tuple.of(first, second), rows -> 1L);
  }

  private static long deadlocks() {
    return TestServices.await(schema.pool().query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        .execute()).iterator().next().getLong("deadlocks");
  }
}
