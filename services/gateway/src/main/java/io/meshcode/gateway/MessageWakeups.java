package io.meshcode.gateway;

import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this replica's parked waits from {@code mesh.messages}, whichever replica forwarded the
 * send. Every replica reads every partition from the end: it assigns them itself, with no consumer
 * group and no commits, since a wake-up is only a hint to read the inbox again; the inbox in the
 * bus is what a wait answers from, so a wake-up missed while the broker is away delays a message
 * to the next wait, and never loses it.
 */
final class MessageWakeups {

  private static final Logger LOG = LoggerFactory.getLogger(MessageWakeups.class);

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final ParkedWaits parked;
  private final String clientId;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean assigned;

  MessageWakeups(Vertx vertx, KafkaSettings settings, ParkedWaits parked, String clientId) {
    this.vertx = vertx;
    this.settings = settings;
    this.parked = parked;
    this.clientId = clientId;
  }

  /** Creates the consumer; {@link #assign} starts the reading once the topic exists. */
  void start() {
    consumer = KafkaClients.tailer(vertx, settings, clientId);
    consumer.exceptionHandler(e -> LOG.warn("message wake-ups: {}", e.getMessage()));
    consumer.handler(this::onRecord);
  }

  /** Takes every partition of the topic, from its end; does nothing once done. */
  Future<Void> assign() {
    if (assigned) {
      return Future.succeededFuture();
    }
    return consumer.partitionsFor(Topics.MESSAGES)
        .compose(partitions -> {
          if (partitions.isEmpty()) {
            return Future.failedFuture("topic " + Topics.MESSAGES + " has no partitions yet");
          }
          Set<TopicPartition> all = partitions.stream()
              .map(p -> new TopicPartition(p.getTopic(), p.getPartition()))
              .collect(Collectors.toSet());
          return consumer.assign(all).compose(v -> consumer.seekToEnd(all));
        })
        .onSuccess(v -> {
          assigned = true;
          LOG.info("message wake-ups: reading {}", Topics.MESSAGES);
        });
  }

  private void onRecord(KafkaConsumerRecord<String, String> record) {
    try {
      JsonArray recipients = new JsonObject(record.value()).getJsonObject("payload", new JsonObject())
          .getJsonArray("recipients", new JsonArray());
      for (Object item : recipients) {
        JsonObject recipient = (JsonObject) item;
        parked.wake(recipient.getString("meshwork_id"), recipient.getString("agent"));
      }
    } catch (RuntimeException e) {
      LOG.warn("message wake-ups: skipped an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
    }
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
