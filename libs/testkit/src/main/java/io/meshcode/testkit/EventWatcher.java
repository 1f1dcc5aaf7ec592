package io.meshcode.testkit;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reads topics from their beginning with a fresh consumer group and keeps every record, so a test
 * can wait for the events of its own fresh meshwork. Either opened at once and closed by the test,
 * or one for a test class: {@code @RegisterExtension static final EventWatcher watcher =
 * EventWatcher.perClass(Topics.EVENTS);} reads from before the class's first test to after its last.
 */
public final class EventWatcher implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** One record as it arrived. */
  public record Received(String topic, String key, String value, EventEnvelope event) {

    public String type() {
      return event.type();
    }

    public JsonObject payload() {
      return event.payload();
    }
  }

  private final Set<String> topics;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private KafkaConsumer<String, String> consumer;

  /** Starts reading at once; close it when done. */
  public EventWatcher(String... topics) {
    this.topics = Set.of(topics);
    open();
  }

  private EventWatcher(Set<String> topics) {
    this.topics = topics;
  }

  /** A watcher for one test class, as a JUnit extension: it reads from before the class's tests to after them. */
  public static EventWatcher perClass(String... topics) {
    return new EventWatcher(Set.of(topics));
  }

  private void open() {
    vertx = Vertx.vertx();
    KafkaSettings settings = new KafkaSettings(TestInfra.get().kafkaBootstrap(), 3, (short) 1);
    String group = "test-" + Ids.newId();
    consumer = KafkaClients.consumer(vertx, settings, group, group);
    consumer.handler(record -> {
      EventEnvelope event;
      try {
        event = EventEnvelope.fromJson(new JsonObject(record.value()));
      } catch (RuntimeException e) {
        // A test that checks how consumers treat unreadable records leaves them on the shared topics.
        return;
      }
      received.add(new Received(record.topic(), record.key(), record.value(), event));
    });
    TestServices.await(consumer.subscribe(topics));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The records of {@code topic} about {@code meshwork} so far. */
  public List<Received> of(String topic, String meshwork) {
    return received.stream().filter(r -> r.topic().equals(topic) && meshwork.equals(r.event().meshwork())).toList();
  }

  public List<String> types(String topic, String meshwork) {
    return of(topic, meshwork).stream().map(r -> r.event().type()).toList();
  }

  /** Waits until {@code done} holds for the records of {@code topic} about {@code meshwork}; returns them. */
  public List<Received> await(String topic, String meshwork, Predicate<List<Received>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Received> now = of(topic, meshwork);
      if (done.test(now)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting on " + topic + " for " + meshwork + "; have " + types(topic, meshwork));
      }
      ServiceUnderTest.sleep(50);
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      TestServices.await(consumer.close());
      TestServices.await(vertx.close());
    }
  }
}
