package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.testkit.Eventually;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.meshcode.testkit.TestSql;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sweeps racing on one database, as on several replicas, released at the same instant. No bus
 * service runs in this class, so the events they append stay in the outbox to be counted.
 */
@DisplayName("Status sweeps racing on one database")
class SweepTest {

  private static final int RACERS = 6;
  private static final long GATE = 0x6d657368L;
  // Idle after 1 s.
  private static final StatusReports REPORTS = new StatusReports(1);

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  @Test
  @DisplayName("each change is reported once, however many sweeps find it at the same time")
  void onceEach() throws SQLException {
    String meshwork = Ids.newId();
    int agents = 40;
    for (int i = 0; i < agents; i++) {
      // A lease that ran out a second ago, still reported as working.
      TestSql.update("INSERT INTO bus.presence (meshwork_id, agent, lease_expires_at, last_activity_at, reported_status)"
          + " VALUES (?::uuid, ?, now() - interval '1 second', now() - interval '1 hour', 'working')", meshwork, "agent-" + i);
    }
    StatusReports reports = new StatusReports(BusSettings.DEFAULT_IDLE_SECONDS);
    schema.race(GATE, RACERS, conn -> reports.sweep(conn, 500));

    List<EventEnvelope> events = schema.outbox(meshwork);
    assertThat(events).hasSize(agents);
    assertThat(events.stream().map(EventEnvelope::agent).distinct()).hasSize(agents);
    assertThat(events).allSatisfy(event -> {
      assertThat(event.type()).isEqualTo("agent.status");
      assertThat(event.payload()).isEqualTo(new JsonObject().put("from", "working").put("to", "offline"));
    });
    assertThat(TestSql.count("SELECT count(*) FROM bus.presence WHERE meshwork_id = ?::uuid AND reported_status = 'offline'", meshwork))
        .isEqualTo(agents);
  }

  @Test
  @DisplayName("a sweep whose transaction began before another's report does not report the agent back")
  void lateSweep() throws SQLException {
    // Idle already (active 2 s ago, idle after 1 s), offline once the lease runs out in 1.5 s.
    String meshwork = workingAgent("1.5 seconds", "2 seconds");
    // One replica's sweep begins its transaction while the agent is idle, and is held up (a busy
    // machine) until another's, after the lease ran out, has reported it offline.
    Promise<Void> othersReported = Promise.promise();
    Future<Integer> late = heldUp(othersReported.future(), conn -> REPORTS.sweep(conn, 500));
    awaitDatabaseClock(meshwork, "lease_expires_at < now()");
    sweepAll();
    assertThat(schema.outbox(meshwork)).extracting(EventEnvelope::payload)
        .containsExactly(new JsonObject().put("from", "working").put("to", "offline"));
    othersReported.complete();
    TestServices.await(late);

    assertThat(schema.outbox(meshwork)).extracting(EventEnvelope::payload).as("after the late sweep")
        .containsExactly(new JsonObject().put("from", "working").put("to", "offline"));
  }

  @Test
  @DisplayName("a request whose transaction began before a sweep's report does not report the agent back")
  void lateRequest() throws SQLException {
    // Working (active 0.5 s ago, idle after 1 s), with a live lease.
    String meshwork = workingAgent("1 minute", "0.5 seconds");
    // A request (a heartbeat that changes no activity) begins while the agent is working, and
    // reports only after a sweep has found it idle.
    Promise<Void> sweepReported = Promise.promise();
    Future<Void> request = heldUp(sweepReported.future(), conn -> REPORTS.reportOne(conn, new AgentSlot(UUID.fromString(meshwork), "late")));
    awaitDatabaseClock(meshwork, "last_activity_at < now() - interval '1 second'");
    sweepAll();
    sweepReported.complete();
    TestServices.await(request);

    assertThat(schema.outbox(meshwork)).extracting(EventEnvelope::payload)
        .containsExactly(new JsonObject().put("from", "working").put("to", "idle"));
  }

  /** The agent 'late' of a new meshwork, reported as working: its lease ends in {@code lease}, its last activity was {@code activityAgo} ago. */
  private static String workingAgent(String lease, String activityAgo) {
    String meshwork = Ids.newId();
    TestSql.update("INSERT INTO bus.presence (meshwork_id, agent, lease_expires_at, last_activity_at, reported_status)"
        + " VALUES (?::uuid, 'late', now() + ?::interval, now() - ?::interval, 'working')", meshwork, lease, activityAgo);
    return meshwork;
  }

  /**
   * Begins a transaction, returning once it has (its {@code now()} is fixed from then on), and does
   * {@code work} in it once {@code go} completes.
   */
  private static <T> Future<T> heldUp(Future<Void> go, Function<SqlConnection, Future<T>> work) {
    Promise<Void> began = Promise.promise();
    Future<T> done = schema.pool().withTransaction(conn -> conn.query("SELECT 1").execute()
        .onSuccess(rows -> began.tryComplete()).compose(v -> go).compose(v -> work.apply(conn)));
    done.onFailure(began::tryFail);
    TestServices.await(began.future());
    return done;
  }

  /** Until {@code condition} holds for the agent 'late' of {@code meshwork} by the database's clock (the one sweeps judge by). */
  private static void awaitDatabaseClock(String meshwork, String condition) {
    Eventually.equalTo(() -> TestSql.count(
        "SELECT count(*) FROM bus.presence WHERE meshwork_id = ?::uuid AND agent = 'late' AND " + condition, meshwork), 1L);
  }

  /** A sweep of every agent due in the shared database: only a test's own meshwork's events are its to check. */
  private static void sweepAll() {
    TestServices.await(schema.pool().withTransaction(conn -> REPORTS.sweep(conn, 10_000)));
  }
}
