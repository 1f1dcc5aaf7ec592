package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.db.Database;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bus's statements on its growing tables run as prepared statements, which PostgreSQL soon
 * plans once for any parameters (a generic plan). Such a plan must still read one inbox, or one
 * meshwork's log, by its index: a plan that scans the deliveries, messages or event_log table makes
 * every read cost as much as everything ever stored (under load, a wait's read of 500 messages
 * took 1.3 s).
 */
@DisplayName("Statements on the growing tables read by index in their generic plans")
class GenericPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  private static final int MESSAGES = 20_000;

  /** One busy inbox of 20,000 messages and a log as long, with the tables' statistics taken, as after a while under load. */
  @BeforeAll
  static void busyInbox() {
    UUID meshwork = UUID.randomUUID();
    TestServices.await(schema.pool().query("""
        INSERT INTO messages (id, meshwork_id, meshwork_name, sender, addressed_to, kind, body)
        SELECT md5('%1$s' || g)::uuid, '%1$s', 'plans', 'a', '"b"', 'message', 'ping ' || g FROM generate_series(1, %2$d) g
        """.formatted(meshwork, MESSAGES)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO deliveries (meshwork_id, meshwork_name, agent, seq, message_id)
        SELECT '%1$s', 'plans', 'b', g, md5('%1$s' || g)::uuid FROM generate_series(1, %2$d) g
        """.formatted(meshwork, MESSAGES)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
        SELECT '%1$s', g, 'e' || g, 'message.sent', 'a', now(), '{}', ARRAY['b'] FROM generate_series(1, %2$d) g
        """.formatted(meshwork, MESSAGES)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO sessions (id, meshwork_id, agent, client, opened_by, ended_at, end_reason)
        SELECT md5('s' || g)::uuid, '%1$s', 'a' || (g %% 100), 'cursor', 'owner', now(), 'closed' FROM generate_series(1, %2$d) g
        """.formatted(meshwork, MESSAGES)).execute());
    TestServices.await(schema.pool().query("ANALYZE messages, deliveries, event_log, sessions").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SEND", "TAKE", "PEEK", "COUNT_UNREAD", "DELIVERIES"})
  @DisplayName("inbox statements: no table scan")
  void inbox(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) MessageRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"QUERY", "QUERY_BACK", "QUERY_TYPED", "QUERY_TYPED_BACK", "STORE"})
  @DisplayName("replay log statements: no table scan")
  void replayLog(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) ReplayLogRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HOLDS", "END_OPENED_BY"})
  @DisplayName("session statements on the request path and on a revocation: no table scan")
  void sessions(String statement) throws ReflectiveOperationException {
    java.lang.reflect.Field field = SessionRepository.class.getDeclaredField(statement);
    field.setAccessible(true);
    assertNoTableScan((String) field.get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SEND", "TAKE"})
  @DisplayName("the long statements on the request path (each with its session check) are short enough for the connections to keep them prepared")
  void cached(String statement) throws ReflectiveOperationException {
    String sql = (String) MessageRepository.class.getDeclaredField(statement).get(null);
    assertThat(sql.length()).isLessThanOrEqualTo(Database.CACHED_SQL_LIMIT);
  }

  private static void assertNoTableScan(String sql) {
    List<String> plan = schema.genericPlan(sql);
    assertThat(plan).as(String.join("\n", plan))
        .noneMatch(line -> line.matches(".*Seq Scan on (deliveries|messages|event_log|sessions)\\b.*"));
  }
}
