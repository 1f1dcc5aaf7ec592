package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inbox's statements run as prepared statements, which PostgreSQL soon plans once for any
 * parameters (a generic plan). Such a plan must still read one inbox by its index: a plan that
 * scans the deliveries or messages table makes every wait cost as much as all the messages ever
 * stored (under load, a wait's read of 500 messages took 1.3 s).
 */
@DisplayName("Inbox statements read by index in their generic plans")
class InboxPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  private static final int MESSAGES = 20_000;

  /** One busy inbox of 20,000 messages, with the tables' statistics taken, as after a while under load. */
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
    TestServices.await(schema.pool().query("ANALYZE messages, deliveries").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TAKE", "PEEK", "COUNT_UNREAD", "MORE_AFTER", "ACK", "DELIVERIES"})
  @DisplayName("no table scan")
  void noTableScan(String statement) throws ReflectiveOperationException {
    String sql = (String) MessageRepository.class.getDeclaredField(statement).get(null);
    List<String> plan = new ArrayList<>();
    for (Row row : TestServices.await(schema.pool().query("EXPLAIN (GENERIC_PLAN) " + sql).execute())) {
      plan.add(row.getString(0));
    }
    assertThat(plan).as(String.join("\n", plan))
        .noneMatch(line -> line.contains("Seq Scan on deliveries") || line.contains("Seq Scan on messages"));
  }
}
