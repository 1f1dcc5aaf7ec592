package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.db.Database;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sweeps racing on one database, as on several replicas, released at the same instant. No bus
 * service runs in this class, so the events they append stay in the outbox to be counted.
 */
@DisplayName("Status sweeps racing on one database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepTest {

  private static final int RACERS = 6;
  private static final long GATE = 0x6d657368L;

  private final Vertx vertx = Vertx.vertx();
  private Pool pool;

  @BeforeAll
  void start() {
    TestServices.await(Database.migrate(vertx, TestInfra.get().database(), "bus"));
    pool = Database.pool(vertx, TestInfra.get().database(), "bus");
  }

  @AfterAll
  void stop() {
    TestServices.await(pool.close());
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("each change is reported once, however many sweeps find it at the same time")
  void onceEach() throws SQLException {
    String meshwork = Ids.newId();
    int agents = 40;
    for (int i = 0; i < agents; i++) {
      // A lease that ran out a second ago, still reported as working.
      sql("INSERT INTO bus.presence (meshwork_id, agent, lease_expires_at, last_activity_at, reported_status)"
          + " VALUES (?::uuid, ?, now() - interval '1 second', now() - interval '1 hour', 'working')", meshwork, "agent-" + i);
    }
    StatusReports reports = new StatusReports(BusSettings.DEFAULT_IDLE_SECONDS);
    try (Connection gate = TestInfra.get().openJdbc()) {
      sql(gate, "SELECT pg_advisory_lock(?)", GATE);
      List<Future<Integer>> sweeps = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        // Each waits at the gate inside its transaction, so all take their snapshots once it opens.
        sweeps.add(pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(GATE))
            .compose(v -> reports.sweep(conn, 500))));
      }
      BusClient.sleep(300);
      sql(gate, "SELECT pg_advisory_unlock(?)", GATE);
      TestServices.await(Future.all(sweeps));
    }

    List<EventEnvelope> events = outbox(meshwork);
    assertThat(events).hasSize(agents);
    assertThat(events.stream().map(EventEnvelope::agent).distinct()).hasSize(agents);
    assertThat(events).allSatisfy(event -> {
      assertThat(event.type()).isEqualTo("agent.status");
      assertThat(event.payload()).isEqualTo(new JsonObject().put("from", "working").put("to", "offline"));
    });
    assertThat(count("SELECT count(*) FROM bus.presence WHERE meshwork_id = ?::uuid AND reported_status = 'offline'", meshwork))
        .isEqualTo(agents);
  }

  private static List<EventEnvelope> outbox(String meshwork) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc();
         PreparedStatement ps = conn.prepareStatement("SELECT payload FROM bus.outbox WHERE record_key = ? ORDER BY id")) {
      ps.setString(1, meshwork);
      List<EventEnvelope> events = new ArrayList<>();
      try (ResultSet rows = ps.executeQuery()) {
        while (rows.next()) {
          events.add(EventEnvelope.fromJson(new JsonObject(rows.getString(1))));
        }
      }
      return events;
    }
  }

  private static void sql(String statement, Object... params) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc()) {
      sql(conn, statement, params);
    }
  }

  private static long count(String query, Object... params) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = conn.prepareStatement(query)) {
      IntStream.range(0, params.length).forEach(i -> set(ps, i + 1, params[i]));
      try (ResultSet rows = ps.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void sql(Connection conn, String statement, Object... params) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(statement)) {
      IntStream.range(0, params.length).forEach(i -> set(ps, i + 1, params[i]));
      ps.execute();
    }
  }

  private static void set(PreparedStatement ps, int index, Object value) {
    try {
      ps.setObject(index, value);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
