package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shared infrastructure is real: a broker that stores and returns records, a database that answers SQL. */
@DisplayName("The test kit's infrastructure")
class TestInfraTest {

  @Test
  @DisplayName("is one broker and one database for the whole test JVM")
  void shared() {
    assertThat(TestInfra.get()).isSameAs(TestInfra.get());
    assertThat(TestInfra.get().backend()).isEqualTo(System.getProperty(TestInfra.BACKEND_PROPERTY, "embedded"));
  }

  @Test
  @DisplayName("has a PostgreSQL that answers SQL")
  void postgres() throws Exception {
    try (Connection conn = TestInfra.get().openJdbc(); ResultSet rows = conn.createStatement().executeQuery("SHOW server_version")) {
      rows.next();
      assertThat(rows.getString(1)).matches("\\d+.*");
    }
  }

  @Test
  @DisplayName("has a Kafka broker that keeps a record and gives it back, through the services' own client settings")
  void kafka() throws Exception {
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings = new KafkaSettings(TestInfra.get().kafkaBootstrap(), 1, (short) 1);
    String topic = "testkit-" + io.meshcode.core.ids.Ids.newId();
    KafkaAdminClient admin = KafkaClients.admin(vertx, settings, "testkit-admin");
    KafkaProducer<String, String> producer = KafkaClients.producer(vertx, settings, "testkit-producer");
    KafkaConsumer<String, String> consumer = KafkaClients.consumer(vertx, settings, "testkit-consumer", topic);
    try {
      TestServices.await(KafkaClients.ensureTopics(admin, settings, List.of(topic)));
      TestServices.await(producer.send(KafkaProducerRecord.create(topic, "meshwork-1", "hello")));
      CompletableFuture<String> received = new CompletableFuture<>();
      consumer.handler(record -> received.complete(record.key() + "=" + record.value()));
      TestServices.await(consumer.subscribe(topic));
      assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("meshwork-1=hello");
    } finally {
      TestServices.await(consumer.close());
      TestServices.await(producer.close());
      TestServices.await(admin.close());
      TestServices.await(vertx.close());
    }
  }
}
