package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What one batch of the replay log's consumer stores, on the repository itself. */
@DisplayName("Storing a batch of the replay log")
class ReplayLogStoreTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  @Test
  @DisplayName("a new task assignment is logged and notifies its assignee in the same transaction, numbered after it")
  void newAssignmentNotifies() {
    UUID meshwork = UUID.randomUUID();
    LogEntry assigned = assignment(meshwork, "e-new");
    assertThat(TestServices.await(new ReplayLogRepository(schema.pool()).store(List.of(assigned, assigned)))).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM messages WHERE meshwork_id = $1 AND kind = 'event'", meshwork)).isEqualTo(1);
    assertThat(count("SELECT max(seq) FROM event_log WHERE meshwork_id = $1", meshwork))
        .as("the assignment, then the notice's entry").isEqualTo(2);
  }

  @Test
  @DisplayName("an assignment the log holds already (logged before notices existed) notifies nobody when it comes again")
  void loggedAssignmentDoesNotNotify() {
    UUID meshwork = UUID.randomUUID();
    TestServices.await(schema.pool().preparedQuery("""
        INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload) VALUES ($1, 1, 'e-old', 'task.assigned', 'lead', now(), '{}')
        """).execute(Tuple.of(meshwork)));
    TestServices.await(schema.pool().preparedQuery("INSERT INTO event_log_seq (meshwork_id, last_seq) VALUES ($1, 1)").execute(Tuple.of(meshwork)));

    assertThat(TestServices.await(new ReplayLogRepository(schema.pool()).store(List.of(assignment(meshwork, "e-old"))))).isZero();
    assertThat(count("SELECT count(*) FROM messages WHERE meshwork_id = $1", meshwork)).isZero();
    assertThat(count("SELECT last_seq FROM event_log_seq WHERE meshwork_id = $1", meshwork)).isEqualTo(1);
  }

  private static LogEntry assignment(UUID meshwork, String id) {
    return LogEntry.unnumbered(meshwork, id, TaskNotices.TASK_ASSIGNED, "lead", Instant.now(),
        new JsonObject().put("task_id", "t1").put("title", "Parse").put("assignee", "builder").put("by", "lead"), null);
  }

  private static long count(String sql, UUID meshwork) {
    Row row = TestServices.await(schema.pool().preparedQuery(sql).execute(Tuple.of(meshwork))).iterator().next();
    return row.getLong(0);
  }
}
