package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads and acknowledgements of one inbox racing on one database, as on several replicas, released
 * at the same instant. Each moves the inbox's cursors only forward, and logs exactly the positions
 * it moved them past, so every state change is logged once whoever wins.
 */
@DisplayName("Reads and acknowledgements of one inbox racing")
class CursorRaceTest {

  private static final long GATE = 0x63757273L;
  private static final int MESSAGES = 5;
  private static final BusSettings SETTINGS =
      new BusSettings(null, Duration.ofSeconds(30), Duration.ofSeconds(BusSettings.DEFAULT_IDLE_SECONDS), Duration.ofSeconds(2));

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  @RepeatedTest(3)
  @DisplayName("each message is logged read once and delivered at most once, and both cursors end at the last")
  void eachChangeLoggedOnce() throws SQLException {
    UUID meshwork = UUID.randomUUID();
    MessageRepository repository = new MessageRepository(schema.pool(), SETTINGS, () -> {});
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      OutgoingMessage message = new OutgoingMessage(UUID.randomUUID(), false, "bob", "message", "m" + i, null, null, null, null);
      sent.add(TestServices.await(repository.send(
          new AgentSlot(meshwork, "alice"), "team", message, List.of(new Recipient(meshwork, "team", "bob")), null)).id().toString());
    }
    long last = TestSql.count("SELECT max(seq) FROM bus.deliveries WHERE meshwork_id = ?::uuid", meshwork.toString());

    // Three wait reads of everything, three acknowledgements of the last: six replicas at once.
    List<Long> acks = List.of(-1L, last, -1L, last, -1L, last);
    int[] next = {0};
    schema.race(GATE, acks.size(), conn -> {
      long ack = acks.get(next[0]++);
      return conn.preparedQuery(MessageRepository.TAKE).execute(Tuple.of(
          meshwork, "bob", 0L, ack < 0 ? 10 : 0, 0, SETTINGS.idleSeconds(), Ids.newId(), ack < 0 ? null : ack, Topics.LOG, null));
    });

    Map<String, List<Object>> logged = new HashMap<>();
    TestServices.await(schema.pool()
            .preparedQuery("SELECT type, payload FROM event_log WHERE meshwork_id = $1 AND type IN ('message.read', 'message.delivered')")
            .execute(Tuple.of(meshwork)))
        .forEach(row -> logged.computeIfAbsent(row.getString("type"), t -> new ArrayList<>())
            .addAll(((JsonObject) row.getValue("payload")).getJsonArray("message_ids").getList()));
    assertThat(logged.get(DeliveryLog.READ)).as("read").containsExactlyInAnyOrderElementsOf(sent);
    Map<Object, Long> delivered = logged.getOrDefault(DeliveryLog.DELIVERED, List.of()).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(delivered.values()).as("delivered").allMatch(count -> count == 1);
    assertThat(TestSql.count("SELECT count(*) FROM bus.inbox_cursors WHERE meshwork_id = ?::uuid AND agent = 'bob'"
        + " AND acked_seq = " + last + " AND delivered_seq = " + last, meshwork.toString())).isEqualTo(1);
  }
}
