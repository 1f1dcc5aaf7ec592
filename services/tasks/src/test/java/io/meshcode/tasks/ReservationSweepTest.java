package io.meshcode.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestSql;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sweeps racing on one database, as on several replicas, released at the same instant. No tasks
 * service runs in this class, so the events they append stay in the outbox to be counted.
 */
@DisplayName("Reservation sweeps racing on one database")
class ReservationSweepTest {

  private static final int RACERS = 6;
  private static final long GATE = 0x7461736bL;

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("tasks");

  @Test
  @DisplayName("each expired reservation is deleted and reported once, however many sweeps find it at the same time; live ones stay")
  void onceEach() throws SQLException {
    String meshwork = Ids.newId();
    int expired = 40;
    for (int i = 0; i < expired + 5; i++) {
      // The last five are live for an hour.
      TestSql.update("INSERT INTO tasks.reservations (meshwork_id, agent, path, reason, shared, expires_at)"
          + " VALUES (?::uuid, ?, ?, 'work', false, now() + ?::int * interval '1 second')",
          meshwork, "agent-" + (i % 7), "path/" + i, i < expired ? -1 : 3600);
    }
    List<Integer> swept = schema.race(GATE, RACERS, conn -> ReservationRepository.sweep(conn, 500));
    assertThat(swept.stream().mapToInt(Integer::intValue).sum()).isEqualTo(expired);

    List<EventEnvelope> events = schema.outbox(meshwork);
    assertThat(events).hasSize(expired).allSatisfy(event -> {
      assertThat(event.type()).isEqualTo("reservation.expired");
      assertThat(event.payload().getString("reason")).isEqualTo("work");
      assertThat(event.payload().getBoolean("shared")).isFalse();
    });
    assertThat(events.stream().map(e -> e.agent() + ":" + e.payload().getJsonArray("paths").getString(0)).distinct()).hasSize(expired);
    assertThat(TestSql.count("SELECT count(*) FROM tasks.reservations WHERE meshwork_id = ?::uuid", meshwork)).isEqualTo(5);
  }
}
