package io.meshcode.core.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place Kafka clients are configured, so every service gets the same guarantees. */
public final class KafkaClients {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {}

  /** acks=all and idempotence: an acknowledged record survives a broker restart, and a retry never duplicates it. */
  public static KafkaProducer<String, String> producer(Vertx vertx, KafkaSettings settings, String clientId) {
    Map<String, String> config = common(settings, clientId);
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.block.ms", "10000");
    config.put("delivery.timeout.ms", "30000");
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, config);
    // Each failure also fails its send's future, where the caller handles it; without a handler
    // here Vert.x would log every one again as an unhandled exception, stack trace and all.
    producer.exceptionHandler(failure -> LOG.debug("{}: a send failed: {}", clientId, failure.toString()));
    return producer;
  }

  /** Commits only after processing (auto commit off), so a crash re-delivers rather than loses. */
  public static KafkaConsumer<String, String> consumer(
      Vertx vertx, KafkaSettings settings, String clientId, String groupId) {
    Map<String, String> config = common(settings, clientId);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("group.id", groupId);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    return KafkaConsumer.create(vertx, config);
  }

  /**
   * A consumer for partitions it assigns itself and reads from the end, with no group and no
   * commits: for hints every replica must see (a gateway's wake-ups), where the past is irrelevant.
   */
  public static KafkaConsumer<String, String> tailer(Vertx vertx, KafkaSettings settings, String clientId) {
    Map<String, String> config = common(settings, clientId);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "latest");
    return KafkaConsumer.create(vertx, config);
  }

  public static KafkaAdminClient admin(Vertx vertx, KafkaSettings settings, String clientId) {
    Map<String, String> config = common(settings, clientId);
    config.put("request.timeout.ms", "3000");
    config.put("default.api.timeout.ms", "5000");
    return KafkaAdminClient.create(vertx, config);
  }

  /** Creates the mesh's topics that do not exist yet; several replicas may race here harmlessly. */
  public static Future<Void> ensureTopics(KafkaAdminClient admin, KafkaSettings settings, List<String> topics) {
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = topics.stream()
          .filter(topic -> !existing.contains(topic))
          .map(topic -> new NewTopic(topic, settings.partitions(), settings.replicationFactor()))
          .toList();
      if (missing.isEmpty()) {
        return Future.succeededFuture();
      }
      return admin.createTopics(missing).recover(failure -> isTopicExists(failure)
          ? Future.succeededFuture()
          : Future.failedFuture(failure));
    });
  }

  private static boolean isTopicExists(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }

  /**
   * What every client of the mesh has, whatever it does: the brokers, its id, and how it
   * authenticates ({@link KafkaSecurity}).
   */
  public static Map<String, String> common(KafkaSettings settings, String clientId) {
    Map<String, String> config = new HashMap<>(settings.security().clientProperties());
    config.put("bootstrap.servers", settings.bootstrapServers());
    config.put("client.id", clientId);
    // Reconnect quickly after a broker restart; the default backoff grows to a second.
    config.put("reconnect.backoff.max.ms", "2000");
    return config;
  }
}
