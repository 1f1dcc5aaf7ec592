package io.meshcode.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor under the send → wake latency: one record produced (acks=all, idempotent, as the
 * services produce) and consumed by a consumer tailing its partition, on the mesh's own broker,
 * at the same rate.
 */
final class KafkaFloor {

  private KafkaFloor() {}

  static Latencies measure(String bootstrap, int rate, int seconds, int warmupSeconds) throws Exception {
    String topic = "bench.floor." + System.nanoTime();
    Properties common = new Properties();
    common.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Properties producerConfig = new Properties();
    producerConfig.putAll(common);
    producerConfig.putAll(Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", "0"));
    Properties consumerConfig = new Properties();
    consumerConfig.putAll(common);
    consumerConfig.putAll(Map.of("enable.auto.commit", "false", "auto.offset.reset", "latest"));
    Latencies latencies = new Latencies();
    AtomicBoolean running = new AtomicBoolean(true);
    long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    try (KafkaProducer<String, Long> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new LongSerializer());
         KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new LongDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(Set.of(partition));
      consumer.seekToEnd(Set.of(partition));
      consumer.position(partition);
      Thread reader = new Thread(() -> {
        while (running.get()) {
          for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(100))) {
            long now = System.nanoTime();
            if (record.value() >= measureFrom) {
              latencies.add(now - record.value());
            }
          }
        }
      }, "floor-consumer");
      reader.start();
      Pacer.run(rate, seconds + warmupSeconds, i -> producer.send(new ProducerRecord<>(topic, "k", System.nanoTime())));
      producer.flush();
      Thread.sleep(1000);
      running.set(false);
      reader.join();
    }
    return latencies;
  }
}
