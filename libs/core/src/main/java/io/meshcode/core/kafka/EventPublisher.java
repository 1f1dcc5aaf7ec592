package io.meshcode.core.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/** Sends an event to its topic, keyed by meshwork so a meshwork's events keep their order. */
public final class EventPublisher {

  private final KafkaProducer<String, String> producer;

  public EventPublisher(KafkaProducer<String, String> producer) {
    this.producer = producer;
  }

  /** Completes once the broker acknowledged it (acks=all). */
  public Future<Void> publish(String topic, EventEnvelope event) {
    return producer.send(KafkaProducerRecord.create(topic, event.meshwork(), event.toJson().encode())).mapEmpty();
  }
}
