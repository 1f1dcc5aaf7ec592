package io.meshcode.testkit;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;

/** Puts records on the mesh's topics of the test kit's broker, as the services' relays do. */
public final class EventPublisher implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final KafkaProducer<String, String> producer;

  public EventPublisher() {
    KafkaSettings kafka = new KafkaSettings(TestInfra.get().kafkaBootstrap(), 3, (short) 1);
    KafkaAdminClient admin = KafkaClients.admin(vertx, kafka, "test-publisher-admin");
    TestServices.await(KafkaClients.ensureTopics(admin, kafka, Topics.ALL).eventually(admin::close));
    producer = KafkaClients.producer(vertx, kafka, "test-publisher");
  }

  /** Publishes {@code event} keyed by its meshwork; returns where the broker put it. */
  public RecordMetadata send(String topic, EventEnvelope event) {
    return send(topic, event.meshwork(), event.toJson().encode());
  }

  public RecordMetadata send(String topic, String key, String value) {
    return TestServices.await(producer.send(KafkaProducerRecord.create(topic, key, value)));
  }

  @Override
  public void close() {
    TestServices.await(producer.close());
    TestServices.await(vertx.close());
  }
}
