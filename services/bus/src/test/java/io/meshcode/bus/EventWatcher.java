package io.meshcode.bus;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Reads a topic from its beginning with a fresh consumer group and keeps every record, so a test
 * can wait for the events of its own fresh meshwork.
 */
final class EventWatcher implements AutoCloseable {

  /** One record as it arrived. */
  record Received(String key, EventEnvelope event) {

    String type() {
      return event.type();
    }

    JsonObject payload() {
      return event.payload();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final KafkaConsumer<String, String> consumer;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  EventWatcher(String topic) {
    KafkaSettings settings = new KafkaSettings(TestInfra.get().kafkaBootstrap(), 3, (short) 1);
    String group = "bus-test-" + Ids.newId();
    consumer = KafkaClients.consumer(vertx, settings, group, group);
    consumer.handler(record -> received.add(new Received(record.key(), EventEnvelope.fromJson(new JsonObject(record.value())))));
    TestServices.await(consumer.subscribe(Set.of(topic)));
  }

  /** The records about {@code meshwork} so far. */
  List<Received> of(String meshwork) {
    return received.stream().filter(r -> meshwork.equals(r.event().meshwork())).toList();
  }

  List<String> types(String meshwork) {
    return of(meshwork).stream().map(Received::type).toList();
  }

  /** Waits until {@code done} holds for the records about {@code meshwork}; returns them. */
  List<Received> await(String meshwork, Predicate<List<Received>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Received> now = of(meshwork);
      if (done.test(now)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for the events of " + meshwork + "; have " + types(meshwork));
      }
      BusClient.sleep(50);
    }
  }

  @Override
  public void close() {
    TestServices.await(consumer.close());
    TestServices.await(vertx.close());
  }
}
