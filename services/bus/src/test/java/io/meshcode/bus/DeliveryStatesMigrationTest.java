package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.db.Database;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * V11 derives delivery states from each inbox's cursors instead of each delivery's row. Messages,
 * states and cursors written on schema V10 by that version's statements (the send, unchanged, and
 * its wait's read and acknowledgement, kept verbatim in {@code bus-v10/take.sql}) are migrated,
 * then read and moved on through today's code.
 */
@DisplayName("Delivery states written on schema V10, migrated to cursors (V11)")
class DeliveryStatesMigrationTest {

  private static final BusSettings SETTINGS =
      new BusSettings(null, Duration.ofSeconds(30), Duration.ofSeconds(BusSettings.DEFAULT_IDLE_SECONDS), Duration.ofSeconds(2));

  private final UUID meshwork = UUID.randomUUID();
  private Vertx vertx;
  private DatabaseSettings database;

  @BeforeEach
  void freshDatabase() throws Exception {
    vertx = Vertx.vertx();
    DatabaseSettings shared = TestInfra.get().database();
    String name = "v10_" + Ids.newId().replace("-", "_").toLowerCase();
    try (Connection admin = TestInfra.get().openJdbc(); Statement create = admin.createStatement()) {
      create.execute("CREATE DATABASE " + name);
    }
    database = new DatabaseSettings(shared.host(), shared.port(), name, shared.user(), shared.password(), 2);
  }

  @AfterEach
  void close() {
    TestServices.await(vertx.close());
  }

  private void migrate(String target) {
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(database.jdbcUrl(), database.user(), database.password())
        .schemas("bus").createSchemas(true).locations("classpath:db/bus")
        .target(target)
        .load().migrate();
  }

  @Test
  @DisplayName("every state and time carries across; reads and acks go on from the migrated cursors")
  void statesCarryAcross() throws IOException {
    migrate("10");
    Pool v10 = Database.pool(vertx, database, "bus");
    MessageRepository sends = new MessageRepository(v10, SETTINGS, () -> {});
    List<UUID> toBob = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      toBob.add(send(sends, "bob"));
    }
    UUID toCarol = send(sends, "carol");
    UUID toDave = send(sends, "dave");
    List<Long> bob = positions(v10, "bob");
    long carol = positions(v10, "carol").get(0);
    long dave = positions(v10, "dave").get(0);

    String take = oldTake();
    oldRead(v10, take, "bob", 0, 2, null);            // bob's 1st and 2nd delivered,
    oldRead(v10, take, "bob", 0, 0, bob.get(1));      // then read;
    oldRead(v10, take, "bob", 0, 1, null);            // his 3rd delivered;
    oldRead(v10, take, "bob", bob.get(3), 1, null);   // a wait after his 4th (he peeked it) delivers his 5th; his 6th is queued
    oldRead(v10, take, "carol", 0, 1, null);          // carol's delivered, never acknowledged: she has no cursor row
    oldRead(v10, take, "dave", 0, 1, dave);           // dave's read by the ack a wait carried, never delivered before
    Map<Long, Row> before = deliveryRows(v10);
    assertThat(before.get(bob.get(3)).getString("state")).isEqualTo("queued");
    TestServices.await(v10.close());

    migrate("latest");
    Pool migrated = Database.pool(vertx, database, "bus");
    MessageRepository repository = new MessageRepository(migrated, SETTINGS, () -> {});

    for (int i = 0; i < 6; i++) {
      Delivery state = only(repository, toBob.get(i));
      long seq = bob.get(i);
      if (i == 3) {
        // The peeked position below a delivered one is delivered from now on, as today's reads make it.
        Row fifth = before.get(bob.get(4));
        assertThat(state).isEqualTo(new Delivery("bob", "delivered", "offline", fifth.getOffsetDateTime("delivered_at").toInstant(), null));
      } else {
        assertThat(state).as("bob's position %d", seq).isEqualTo(expected("bob", before.get(seq)));
      }
    }
    assertThat(only(repository, toCarol)).isEqualTo(expected("carol", before.get(carol)));
    assertThat(only(repository, toDave)).isEqualTo(expected("dave", before.get(dave)));
    assertThat(expected("dave", before.get(dave)).state()).isEqualTo("read");

    AgentSlot bobsInbox = new AgentSlot(meshwork, "bob");
    assertThat(TestServices.await(repository.unread(bobsInbox))).isEqualTo(4L);
    InboxBatch again = TestServices.await(repository.take(bobsInbox, 0, null, 10, 0, null));
    assertThat(again.messages()).extracting(InboxMessage::seq).as("delivered but unread: handed over again, then the queued one")
        .containsExactly(bob.get(2), bob.get(3), bob.get(4), bob.get(5));
    Instant sixthDelivered = only(repository, toBob.get(5)).deliveredAt();
    assertThat(only(repository, toBob.get(5)).state()).isEqualTo("delivered");
    assertThat(only(repository, toBob.get(2))).as("handed over again, its time stays")
        .isEqualTo(expected("bob", before.get(bob.get(2))));

    MessageRepository.Acked acked = TestServices.await(repository.ack(bobsInbox, bob.get(5), null));
    assertThat(acked.newlyRead()).isEqualTo(4);
    for (int i = 0; i < 6; i++) {
      assertThat(only(repository, toBob.get(i)).state()).isEqualTo("read");
    }
    Delivery sixth = only(repository, toBob.get(5));
    assertThat(sixth.deliveredAt()).isEqualTo(sixthDelivered);
    assertThat(sixth.readAt()).isAfterOrEqualTo(sixthDelivered);
    assertThat(only(repository, toBob.get(0))).as("read before the migration: its times stay")
        .isEqualTo(expected("bob", before.get(bob.get(0))));

    TestServices.await(repository.ack(new AgentSlot(meshwork, "carol"), carol, null));
    assertThat(only(repository, toCarol).state()).isEqualTo("read");
    assertThat(only(repository, toCarol).deliveredAt()).isEqualTo(before.get(carol).getOffsetDateTime("delivered_at").toInstant());
  }

  private UUID send(MessageRepository repository, String to) {
    OutgoingMessage message = new OutgoingMessage(UUID.randomUUID(), false, to, "message", "to " + to, null, null, null, null);
    return TestServices.await(repository.send(
        new AgentSlot(meshwork, "alice"), "team", message, List.of(new Recipient(meshwork, "team", to)), null)).id();
  }

  private List<Long> positions(Pool pool, String agent) {
    List<Long> seqs = new ArrayList<>();
    TestServices.await(pool.preparedQuery("SELECT seq FROM deliveries WHERE meshwork_id = $1 AND agent = $2 ORDER BY seq")
        .execute(Tuple.of(meshwork, agent))).forEach(row -> seqs.add(row.getLong("seq")));
    return seqs;
  }

  private void oldRead(Pool pool, String take, String agent, long after, int limit, Long ack) {
    TestServices.await(pool.preparedQuery(take).execute(Tuple.of(
        meshwork, agent, after, limit, 0, SETTINGS.idleSeconds(), Ids.newId(), ack, Topics.LOG, null)));
  }

  private Map<Long, Row> deliveryRows(Pool pool) {
    Map<Long, Row> rows = new HashMap<>();
    TestServices.await(pool.preparedQuery("SELECT seq, state, delivered_at, read_at FROM deliveries WHERE meshwork_id = $1")
        .execute(Tuple.of(meshwork))).forEach(row -> rows.put(row.getLong("seq"), row));
    return rows;
  }

  private static Delivery expected(String agent, Row row) {
    return new Delivery(agent, row.getString("state"), "offline",
        row.getOffsetDateTime("delivered_at") == null ? null : row.getOffsetDateTime("delivered_at").toInstant(),
        row.getOffsetDateTime("read_at") == null ? null : row.getOffsetDateTime("read_at").toInstant());
  }

  private Delivery only(MessageRepository repository, UUID message) {
    List<Delivery> deliveries = TestServices.await(repository.find(meshwork, message)).deliveries();
    assertThat(deliveries).hasSize(1);
    return deliveries.get(0);
  }

  private static String oldTake() throws IOException {
    try (InputStream in = DeliveryStatesMigrationTest.class.getResourceAsStream("/bus-v10/take.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
