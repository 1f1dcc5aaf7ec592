package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker of its own for a test class, with a client listener that authenticates
 * ({@link EmbeddedKafka.Security}), its SCRAM users when it has SASL ({@link #users()}), and a
 * Vert.x for the clients; stopped after the class, unlike {@link TestInfra}'s shared broker.
 * {@code @RegisterExtension static final SecuredKafka KAFKA = SecuredKafka.perClass("scram", () -> Security.saslPlaintext(false), Map::of);}
 */
public final class SecuredKafka implements BeforeAllCallback, AfterAllCallback {

  private final String name;
  private final Supplier<EmbeddedKafka.Security> security;
  private final Supplier<Map<String, String>> clientTls;
  private EmbeddedKafka broker;
  private KafkaUsers users;
  private Vertx vertx;

  private SecuredKafka(String name, Supplier<EmbeddedKafka.Security> security, Supplier<Map<String, String>> clientTls) {
    this.name = name;
    this.security = security;
    this.clientTls = clientTls;
  }

  /**
   * A broker in a fresh folder named after {@code name}, started before the class's tests. The
   * arguments are read then, so they may name files a {@code @BeforeAll} makes (certificates).
   *
   * @param clientTls what a client needs besides credentials to reach it over TLS ({@code MESHCODE_KAFKA_TRUSTED_CA_FILE})
   */
  public static SecuredKafka perClass(String name, Supplier<EmbeddedKafka.Security> security, Supplier<Map<String, String>> clientTls) {
    return new SecuredKafka(name, security, clientTls);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
    EmbeddedKafka.Security listener = security.get();
    broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, listener);
    vertx = Vertx.vertx();
    if (listener.protocol().startsWith("SASL_")) {
      users = new KafkaUsers(broker, listener.protocol(), clientTls.get());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (vertx != null) {
      TestServices.await(vertx.close());
    }
    if (users != null) {
      users.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  public EmbeddedKafka broker() {
    return broker;
  }

  /** Its SCRAM users; the broker must have SASL. */
  public KafkaUsers users() {
    if (users == null) {
      throw new IllegalStateException("a broker without SASL has no SCRAM users");
    }
    return users;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * With the services' own clients ({@link KafkaClients}) built from {@code settings}: creates a
   * fresh topic, sends a record to it and reads it back in a consumer group.
   */
  public void assertRoundTrip(KafkaSettings settings, String clientId) throws Exception {
    String topic = "round-trip-" + Ids.newId();
    KafkaAdminClient admin = KafkaClients.admin(vertx, settings, clientId + "-admin");
    KafkaProducer<String, String> producer = KafkaClients.producer(vertx, settings, clientId);
    KafkaConsumer<String, String> consumer = KafkaClients.consumer(vertx, settings, clientId + "-consumer", clientId + "-" + topic);
    try {
      TestServices.await(KafkaClients.ensureTopics(admin, settings, List.of(topic)));
      TestServices.await(producer.send(KafkaProducerRecord.create(topic, "meshwork-1", "round trip")));
      CompletableFuture<String> received = new CompletableFuture<>();
      consumer.handler(record -> received.complete(record.value()));
      TestServices.await(consumer.subscribe(topic));
      assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("round trip");
    } finally {
      TestServices.await(Future.join(consumer.close(), producer.close(), admin.close()));
    }
  }
}
