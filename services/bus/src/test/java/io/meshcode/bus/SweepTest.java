package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.testkit.ServiceUnderTest;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.meshcode.testkit.TestSql;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
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
    String meshwork = Ids.newId();
    // Idle already (active 2 s ago, idle after 1 s), offline once the lease runs out in 1.5 s; reported as working.
    TestSql.update("INSERT INTO bus.presence (meshwork_id, agent, lease_expires_at, last_activity_at, reported_status)"
        + " VALUES (?::uuid, 'late', now() + interval '1.5 seconds', now() - interval '2 seconds', 'working')", meshwork);
    StatusReports reports = new StatusReports(1);
    // One replica's sweep begins its transaction while the agent is idle, and is held up (a busy
    // machine) until another's, after the lease ran out, has reported it offline.
    Promise<Void> othersReported = Promise.promise();
    Future<Integer> late = schema.pool().withTransaction(conn -> conn.query("SELECT 1").execute()
        .compose(v -> othersReported.future())
        .compose(v -> reports.sweep(conn, 500)));
    ServiceUnderTest.sleep(2000);
    // The sweeps take every agent due in the database: only this meshwork's events are this test's.
    TestServices.await(schema.pool().withTransaction(conn -> reports.sweep(conn, 10_000)));
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
    String meshwork = Ids.newId();
    // Working (active 0.5 s ago, idle after 1 s), with a live lease; reported as working.
    TestSql.update("INSERT INTO bus.presence (meshwork_id, agent, lease_expires_at, last_activity_at, reported_status)"
        + " VALUES (?::uuid, 'late', now() + interval '1 minute', now() - interval '0.5 seconds', 'working')", meshwork);
    StatusReports reports = new StatusReports(1);
    // A request (a heartbeat that changes no activity) begins while the agent is working, and
    // reports only after a sweep has found it idle.
    Promise<Void> sweepReported = Promise.promise();
    Future<Void> request = schema.pool().withTransaction(conn -> conn.query("SELECT 1").execute()
        .compose(v -> sweepReported.future())
        .compose(v -> reports.reportOne(conn, new AgentSlot(UUID.fromString(meshwork), "late"))));
    ServiceUnderTest.sleep(1000);
    TestServices.await(schema.pool().withTransaction(conn -> reports.sweep(conn, 10_000)));
    sweepReported.complete();
    TestServices.await(request);

    assertThat(schema.outbox(meshwork)).extracting(EventEnvelope::payload)
        .containsExactly(new JsonObject().put("from", "working").put("to", "idle"));
  }
}
