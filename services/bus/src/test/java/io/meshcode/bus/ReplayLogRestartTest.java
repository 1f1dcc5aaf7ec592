package io.meshcode.bus;

import static io.meshcode.bus.LogFeed.awaitId;
import static io.meshcode.bus.LogFeed.event;
import static io.meshcode.bus.LogFeed.ids;
import static io.meshcode.bus.LogFeed.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.GroupConsumer;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.Eventually;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The log across the bus's stops and PostgreSQL's failures, with no other bus running meanwhile. */
@DisplayName("The replay log across restarts and failures")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayLogRestartTest {

  private final Vertx vertx = Vertx.vertx();
  private LogFeed feed;
  private KafkaAdminClient admin;

  @BeforeAll
  void start() {
    feed = new LogFeed();
    admin = KafkaClients.admin(vertx, new KafkaSettings(TestInfra.get().kafkaBootstrap(), 3, (short) 1), "test-offsets");
  }

  @AfterAll
  void stop() {
    feed.close();
    TestServices.await(admin.close());
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("a restarted bus resumes from the offsets it committed: what came while it was down is logged, nothing twice")
  void restart() {
    Mesh mesh = Mesh.fresh();
    List<EventEnvelope> events = IntStream.range(0, 5)
        .mapToObj(i -> event(mesh, "task.updated", "builder", new JsonObject().put("n", i)))
        .toList();
    RecordMetadata second;
    try (BusClient bus = BusClient.start()) {
      feed.send(Topics.EVENTS, events.get(0));
      second = feed.send(Topics.EVENTS, events.get(1));
      awaitId(bus.spectator(mesh), mesh, events.get(1).id());
    }
    assertThat(committed(second)).as("committed past what it logged").isGreaterThan(second.getOffset());

    feed.send(Topics.EVENTS, events.get(1));
    events.subList(2, 5).forEach(event -> feed.send(Topics.EVENTS, event));
    try (BusClient bus = BusClient.start(); EventWatcher watcher = new EventWatcher(Topics.LOG)) {
      List<JsonObject> log = awaitId(bus.spectator(mesh), mesh, events.get(4).id());
      assertThat(ids(log)).containsExactlyElementsOf(events.stream().map(EventEnvelope::id).toList());
      assertThat(seqs(log)).containsExactly(1L, 2L, 3L, 4L, 5L);
      // The bus logs and publishes in the order it reads: a second publication of any of the five
      // would be out before the entry of a record sent after them all.
      EventEnvelope marker = event(mesh, "task.updated", "builder", new JsonObject().put("n", 5));
      feed.send(Topics.EVENTS, marker);
      watcher.await(Topics.LOG, mesh.id(), r -> r.stream().anyMatch(entry -> entry.value().contains(marker.id())), LogFeed.WAIT);
      assertThat(watcher.of(Topics.LOG, mesh.id())).as("each entry published once").hasSize(6);
    }
  }

  @Test
  @DisplayName("while PostgreSQL refuses the log's writes nothing is committed, and once it takes them again every record is logged")
  void databaseFailure() throws SQLException {
    Mesh mesh = Mesh.fresh();
    try (BusClient bus = BusClient.start()) {
      EventEnvelope before = event(mesh, "task.created", "builder", new JsonObject());
      feed.send(Topics.EVENTS, before);
      awaitId(bus.spectator(mesh), mesh, before.id());

      RecordMetadata refused;
      sql("ALTER TABLE bus.event_log_seq RENAME TO event_log_seq_away");
      try {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger consumerLog = (Logger) LoggerFactory.getLogger(GroupConsumer.class);
        warnings.start();
        consumerLog.addAppender(warnings);
        try {
          refused = feed.send(Topics.EVENTS, event(mesh, "task.updated", "builder", new JsonObject()));
          // The consumer warns once its batch has failed, after any commit it would have made.
          Eventually.equalTo(() -> warnings.list.stream()
              .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("writing the replay log failed")), true);
        } finally {
          consumerLog.detachAppender(warnings);
        }
        assertThat(committed(refused)).as("not committed past the refused record").isLessThanOrEqualTo(refused.getOffset());
      } finally {
        sql("ALTER TABLE bus.event_log_seq_away RENAME TO event_log_seq");
      }
      EventEnvelope after = event(mesh, "task.updated", "builder", new JsonObject());
      feed.send(Topics.EVENTS, after);
      List<JsonObject> log = awaitId(bus.spectator(mesh), mesh, after.id());
      assertThat(seqs(log)).containsExactly(1L, 2L, 3L);
      assertThat(log.get(1).getString("type")).isEqualTo("task.updated");
    }
  }

  @Test
  @DisplayName("an agent.status an earlier version left in the outbox for mesh.events still goes out, and is logged")
  void earlierVersionsOutboxRow() throws SQLException {
    Mesh mesh = Mesh.fresh();
    EventEnvelope left = event(mesh, "agent.status", "builder", new JsonObject().put("from", "offline").put("to", "online"));
    try (BusClient bus = BusClient.start()) {
      // As the bus wrote it until issue 21, to the outbox of a running bus: its relay takes it.
      try (Connection conn = TestInfra.get().openJdbc();
           java.sql.PreparedStatement insert = conn.prepareStatement("INSERT INTO bus.outbox (topic, record_key, payload) VALUES (?, ?, ?)")) {
        insert.setString(1, Topics.EVENTS);
        insert.setString(2, mesh.id());
        insert.setString(3, left.toJson().encode());
        insert.executeUpdate();
      }
      List<JsonObject> log = awaitId(bus.spectator(mesh), mesh, left.id());
      assertThat(log).singleElement().satisfies(entry -> {
        assertThat(entry.getString("type")).isEqualTo("agent.status");
        assertThat(entry.getJsonObject("payload")).isEqualTo(left.payload());
      });
    }
  }

  /** The group's committed offset for the partition {@code record} went to; -1 if none. */
  private long committed(RecordMetadata record) {
    Map<TopicPartition, OffsetAndMetadata> offsets = TestServices.await(admin.listConsumerGroupOffsets(ReplayLogConsumer.GROUP));
    OffsetAndMetadata offset = offsets.get(new TopicPartition(record.getTopic(), record.getPartition()));
    return offset == null ? -1 : offset.getOffset();
  }

  private static void sql(String statement) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc(); Statement st = conn.createStatement()) {
      st.execute(statement);
    }
  }
}
