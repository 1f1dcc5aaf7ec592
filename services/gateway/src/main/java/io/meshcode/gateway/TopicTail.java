package io.meshcode.gateway;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic from its end, on every gateway replica: it assigns the
 * partitions itself, with no consumer group and no commits. For hints each replica must see about
 * what happens from now on (wake a parked wait, push to a WebSocket, re-check keys); what they
 * point at is always read from its owner, so a record missed while the broker is away delays
 * something and never loses it.
 */
final class TopicTail {

  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  private final String topic;
  private final KafkaConsumer<String, String> consumer;
  private volatile boolean assigned;

  /** {@code access}: what the gateway declared, which must include tailing {@code topic}. */
  TopicTail(Vertx vertx, KafkaSettings settings, KafkaAccess access, String clientId, String topic,
      Handler<KafkaConsumerRecord<String, String>> handler) {
    access.requireTail(topic);
    this.topic = topic;
    this.consumer = KafkaClients.tailer(vertx, settings, clientId);
    consumer.exceptionHandler(e -> LOG.warn("reading {}: {}", topic, e.getMessage()));
    consumer.handler(record -> {
      try {
        handler.handle(record);
      } catch (RuntimeException e) {
        LOG.warn("skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
      }
    });
  }

  /** Takes every partition of the topic, from its end; does nothing once done. */
  Future<Void> assign() {
    if (assigned) {
      return Future.succeededFuture();
    }
    return consumer.partitionsFor(topic)
        .compose(partitions -> {
          if (partitions.isEmpty()) {
            return Future.failedFuture("topic " + topic + " has no partitions yet");
          }
          Set<TopicPartition> all = partitions.stream()
              .map(p -> new TopicPartition(p.getTopic(), p.getPartition()))
              .collect(Collectors.toSet());
          return consumer.assign(all).compose(v -> consumer.seekToEnd(all));
        })
        .onSuccess(v -> {
          assigned = true;
          LOG.info("reading {} from its end", topic);
        });
  }

  Future<Void> stop() {
    return consumer.close();
  }
}
