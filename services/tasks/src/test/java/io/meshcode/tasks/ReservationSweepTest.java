package io.meshcode.tasks;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sweeps racing on one database, as on several replicas, released at the same instant. No tasks
 * service runs in this class, so the events they append stay in the outbox to be counted.
 */
@DisplayName("Reservation sweeps racing on one database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReservationSweepTest {

  private static final int RACERS = 6;
  private static final long GATE = 0x7461736bL;

  private final Vertx vertx = Vertx.vertx();
  private Pool pool;

  @BeforeAll
  void start() {
    TestServices.await(Database.migrate(vertx, TestInfra.get().database(), "tasks"));
    pool = Database.pool(vertx, TestInfra.get().database(), "tasks");
  }

  @AfterAll
  void stop() {
    TestServices.await(pool.close());
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("each expired reservation is deleted and reported once, however many sweeps find it at the same time; live ones stay")
  void onceEach() throws SQLException {
    String meshwork = Ids.newId();
    int expired = 40;
    try (Connection conn = TestInfra.get().openJdbc();
         PreparedStatement insert = conn.prepareStatement("INSERT INTO tasks.reservations (meshwork_id, agent, path, reason, shared, expires_at)"
             + " VALUES (?::uuid, ?, ?, 'work', false, now() + ?::int * interval '1 second')")) {
      for (int i = 0; i < expired + 5; i++) {
        insert.setString(1, meshwork);
        insert.setString(2, "agent-" + (i % 7));
        insert.setString(3, "path/" + i);
        // The last five are live for an hour.
        insert.setInt(4, i < expired ? -1 : 3600);
        insert.executeUpdate();
      }
    }
    try (Connection gate = TestInfra.get().openJdbc()) {
      sql(gate, "SELECT pg_advisory_lock(" + GATE + ")");
      List<Future<Integer>> sweeps = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        // Each waits at the gate inside its transaction, so all sweep at once when it opens.
        sweeps.add(pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(GATE))
            .compose(v -> ReservationRepository.sweep(conn, 500))));
      }
      TasksClient.sleep(300);
      sql(gate, "SELECT pg_advisory_unlock(" + GATE + ")");
      TestServices.await(Future.all(sweeps));
      assertThat(sweeps.stream().mapToInt(Future::result).sum()).isEqualTo(expired);
    }

    List<EventEnvelope> events = outbox(meshwork);
    assertThat(events).hasSize(expired).allSatisfy(event -> {
      assertThat(event.type()).isEqualTo("reservation.expired");
      assertThat(event.payload().getString("reason")).isEqualTo("work");
      assertThat(event.payload().getBoolean("shared")).isFalse();
    });
    assertThat(events.stream().map(e -> e.agent() + ":" + e.payload().getJsonArray("paths").getString(0)).distinct()).hasSize(expired);
    try (Connection conn = TestInfra.get().openJdbc();
         PreparedStatement count = conn.prepareStatement("SELECT count(*) FROM tasks.reservations WHERE meshwork_id = ?::uuid")) {
      count.setString(1, meshwork);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(5);
      }
    }
  }

  private static List<EventEnvelope> outbox(String meshwork) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc();
         PreparedStatement ps = conn.prepareStatement("SELECT payload FROM tasks.outbox WHERE record_key = ? ORDER BY id")) {
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

  private static void sql(Connection conn, String statement) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(statement)) {
      ps.execute();
    }
  }
}
