package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.db.Database;
import io.meshcode.core.db.Sql;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.meshcode.core.outbox.OutboxRelay;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.meshcode.testkit.TestSql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The outbox and its relay on their own, against the invites schema's outbox table and the real
 * broker. No invites service runs in this class, so only the relays started here publish.
 */
@DisplayName("The outbox")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx();
  private Pool pool;
  private KafkaProducer<String, String> producer;
  private EventWatcher watcher;

  @BeforeAll
  void start() {
    KafkaSettings kafka = new KafkaSettings(TestInfra.get().kafkaBootstrap(), 3, (short) 1);
    TestServices.await(Database.migrate(vertx, TestInfra.get().database(), "invites"));
    KafkaAdminClient admin = KafkaClients.admin(vertx, kafka, "outbox-test-admin");
    TestServices.await(KafkaClients.ensureTopics(admin, kafka, Topics.ALL).eventually(admin::close));
    pool = Database.pool(vertx, TestInfra.get().database(), "invites");
    producer = KafkaClients.producer(vertx, kafka, "outbox-test");
    watcher = new EventWatcher(Topics.EVENTS);
  }

  @AfterAll
  void stop() {
    watcher.close();
    TestServices.await(Future.join(producer.close(), pool.close()));
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("an event appended in a transaction that rolls back is never published")
  void rolledBack() {
    String meshwork = Ids.newId();
    Future<Void> aborted = pool.withTransaction(conn -> Outbox.append(conn, Topics.EVENTS, event("test.rolled_back", meshwork, 0))
        .compose(v -> Future.failedFuture("the change behind it failed")));
    assertThat(aborted.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    append(meshwork, "test.committed", 1);
    // One relay sends in id order on one key: whatever came before this is out before it.
    append(meshwork, "test.marker", 2);

    OutboxRelay relay = relay(100);
    try {
      awaitMarker(meshwork);
      assertThat(watcher.types(Topics.EVENTS, meshwork)).containsExactly("test.committed", "test.marker");
    } finally {
      TestServices.await(relay.stop());
    }
  }

  @Test
  @DisplayName("events appended while no relay runs wait in the table and go out once one starts again")
  void survivesRestart() {
    String meshwork = Ids.newId();
    OutboxRelay first = relay(100);
    append(meshwork, "test.before_stop", 0);
    watcher.await(Topics.EVENTS, meshwork, r -> r.size() == 1, WAIT);
    TestServices.await(first.stop());
    assertThat(first.running()).isFalse();

    // Stopped, it has nothing scheduled and nothing in flight: nothing of it can send what comes next.
    assertThat(first.hasWorkAhead()).isFalse();
    append(meshwork, "test.while_stopped", 1);
    assertThat(watcher.types(Topics.EVENTS, meshwork)).containsExactly("test.before_stop");
    assertThat(waiting(meshwork)).isEqualTo(1);

    OutboxRelay second = relay(100);
    try {
      watcher.await(Topics.EVENTS, meshwork, r -> r.size() == 2, WAIT);
      assertThat(watcher.types(Topics.EVENTS, meshwork)).containsExactly("test.before_stop", "test.while_stopped");
      assertThat(waiting(meshwork)).isZero();
    } finally {
      TestServices.await(second.stop());
    }
  }

  @Test
  @DisplayName("two relays on one table share the work: every event goes out exactly once")
  void twoRelays() {
    String meshwork = Ids.newId();
    int count = 300;
    // Several transactions, so the relays find rows committed at different times.
    for (int batch = 0; batch < 3; batch++) {
      int from = batch * 100;
      TestServices.await(pool.withTransaction(conn -> io.meshcode.core.db.Sql.each(
          IntStream.range(from, from + 100).boxed().toList(),
          i -> Outbox.append(conn, Topics.EVENTS, event("test.shared", meshwork, i)))));
    }
    OutboxRelay a = relay(20);
    OutboxRelay b = relay(20);
    try {
      watcher.await(Topics.EVENTS, meshwork, r -> r.size() >= count, WAIT);
      // Stopped, their passes are over and the broker has all they sent: a marker sent after lands behind it.
      TestServices.await(Future.join(a.stop(), b.stop()));
      assertThat(waiting(meshwork)).isZero();
      append(meshwork, "test.marker", count);
      OutboxRelay marker = relay(100);
      try {
        awaitMarker(meshwork);
      } finally {
        TestServices.await(marker.stop());
      }
      List<Received> received = watcher.of(Topics.EVENTS, meshwork);
      assertThat(received).hasSize(count + 1);
      assertThat(received.stream().map(r -> r.event().payload().getInteger("n")).distinct()).hasSize(count + 1);
    } finally {
      TestServices.await(Future.join(a.stop(), b.stop()));
    }
  }

  @Test
  @DisplayName("a batch the broker does not take stays in the table and goes out with a later pass")
  void failedSendKeepsTheBatch() {
    String meshwork = Ids.newId();
    append(meshwork, "test.kept", 0);
    // Nothing listens on port 1: the producer gives up on the topic's metadata after 300 ms.
    KafkaProducer<String, String> unreachable = KafkaProducer.create(vertx, Map.of(
        "bootstrap.servers", "127.0.0.1:1",
        "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
        "value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
        "max.block.ms", "300"));
    try {
      OutboxRelay failing = new OutboxRelay(vertx, pool, unreachable, "outbox-test-unreachable", InvitesVerticle.KAFKA_ACCESS.writes());
      assertThat(failing.relayOnce().toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
      assertThat(waiting(meshwork)).isEqualTo(1);
    } finally {
      TestServices.await(unreachable.close());
    }

    OutboxRelay relay = relay(100);
    try {
      watcher.await(Topics.EVENTS, meshwork, r -> !r.isEmpty(), WAIT);
      assertThat(watcher.types(Topics.EVENTS, meshwork)).containsExactly("test.kept");
      assertThat(waiting(meshwork)).isZero();
    } finally {
      TestServices.await(relay.stop());
    }
  }

  @Test
  @DisplayName("a row for a topic the service does not declare writing is never sent: the pass fails naming it, and the row waits")
  void undeclaredTopicIsNotSent() {
    String meshwork = Ids.newId();
    append(meshwork, "test.undeclared", 0);
    OutboxRelay authOnly = new OutboxRelay(vertx, pool, producer, "outbox-test-auth-only", Set.of(Topics.AUTH));
    assertThat(authOnly.relayOnce().toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("is for mesh.events, which outbox-test-auth-only does not declare writing");
    assertThat(waiting(meshwork)).isEqualTo(1);

    OutboxRelay relay = relay(100);
    try {
      watcher.await(Topics.EVENTS, meshwork, r -> !r.isEmpty(), WAIT);
      assertThat(waiting(meshwork)).isZero();
    } finally {
      TestServices.await(relay.stop());
    }
  }

  private OutboxRelay relay(int batchSize) {
    OutboxRelay.Settings defaults = OutboxRelay.Settings.defaults();
    OutboxRelay relay = new OutboxRelay(vertx, pool, producer, "outbox-test", InvitesVerticle.KAFKA_ACCESS.writes(), new OutboxRelay.Settings(
        batchSize, defaults.idlePoll(), defaults.retryMin(), defaults.retryMax(), defaults.stopTimeout()));
    relay.start();
    return relay;
  }

  /** Until the event of type test.marker of {@code meshwork} has arrived. */
  private void awaitMarker(String meshwork) {
    watcher.await(Topics.EVENTS, meshwork, r -> r.stream().anyMatch(e -> e.type().equals("test.marker")), WAIT);
  }

  private void append(String meshwork, String type, int n) {
    TestServices.await(pool.withTransaction(conn -> Outbox.append(conn, Topics.EVENTS, event(type, meshwork, n))));
  }

  private static EventEnvelope event(String type, String meshwork, int n) {
    return EventEnvelope.of(type, meshwork, null, new JsonObject().put("n", n));
  }

  private static long waiting(String meshwork) {
    return TestSql.count("SELECT count(*) FROM invites.outbox WHERE record_key = ?", meshwork);
  }
}
