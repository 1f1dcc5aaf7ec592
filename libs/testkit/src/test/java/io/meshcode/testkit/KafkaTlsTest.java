package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaFailures;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Kafka clients over TLS: the brokers' CA, SCRAM over TLS and client certificates (as Strimzi hands them out)")
class KafkaTlsTest {

  private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(15);

  private static Path dir;
  private static TestCertificates authority;
  private static TestCertificates.Leaf client;
  private static EmbeddedKafka scramOverTls;
  private static EmbeddedKafka certificates;
  private static KafkaUsers users;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-tls");
    authority = TestCertificates.authority(dir.resolve("certs"), "meshcode-cluster-ca");
    TestCertificates.Leaf broker = authority.issue("broker", "127.0.0.1");
    client = authority.issue("meshcode-bus");
    scramOverTls = EmbeddedKafka.start(dir.resolve("sasl-ssl"), 0,
        EmbeddedKafka.Security.saslSsl(broker.keyAndCertificatePem(), authority.caPem()));
    certificates = EmbeddedKafka.start(dir.resolve("ssl"), 0,
        EmbeddedKafka.Security.ssl(broker.keyAndCertificatePem(), authority.caPem(), true));
    users = new KafkaUsers(scramOverTls, "SASL_SSL", Map.of("MESHCODE_KAFKA_TRUSTED_CA_FILE", authority.caPem().toString()));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      TestServices.await(vertx.close());
    }
    if (users != null) {
      users.close();
    }
    for (EmbeddedKafka kafka : new EmbeddedKafka[] {scramOverTls, certificates}) {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  @Test
  @DisplayName("SASL_SSL with the cluster CA from MESHCODE_KAFKA_TRUSTED_CA_FILE signs in, produces and consumes")
  void scramOverTlsWithTheCa() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    users.create(user, "over-tls");
    assertRoundTrip(KafkaSettings.from(new EnvConfig(users.environment(user, "over-tls"))), user);
  }

  @Test
  @DisplayName("SASL_SSL without the cluster CA fails the TLS handshake at once, and the failure names the CA setting")
  void scramOverTlsWithoutTheCa() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    users.create(user, "over-tls");
    Map<String, String> env = new HashMap<>(users.environment(user, "over-tls"));
    env.remove("MESHCODE_KAFKA_TRUSTED_CA_FILE");
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(env));
    assertTlsRefused(settings, user);
  }

  @Test
  @DisplayName("SSL with the client certificate and key files (Strimzi's user.crt and user.key) is let in by a broker that requires one")
  void clientCertificate() throws Exception {
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", certificates.bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", authority.caPem().toString(),
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", client.certificatePem().toString(),
        "MESHCODE_KAFKA_CLIENT_KEY_FILE", client.keyPem().toString())));
    assertThat(settings.security().clientProperties())
        .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.certificate.chain", Files.readString(client.certificatePem()).trim())
        .containsEntry("ssl.keystore.key", Files.readString(client.keyPem()).trim());
    assertRoundTrip(settings, "meshcode-bus");
  }

  @Test
  @DisplayName("SSL without a client certificate, or with one of another CA, is refused by that broker at once")
  void noOrForeignClientCertificate() throws Exception {
    assertTlsRefused(KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", certificates.bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", authority.caPem().toString()))), "no-certificate");

    TestCertificates.Leaf stranger = TestCertificates.authority(dir.resolve("other"), "another-ca").issue("stranger");
    assertTlsRefused(KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", certificates.bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", authority.caPem().toString(),
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", stranger.certificatePem().toString(),
        "MESHCODE_KAFKA_CLIENT_KEY_FILE", stranger.keyPem().toString()))), "stranger");
  }

  @Test
  @DisplayName("a client key that is not the certificate's, a certificate without its key, or a key Kafka cannot read stops start-up naming the variable")
  void clientKeyMustFitTheCertificate() throws Exception {
    TestCertificates.Leaf other = authority.issue("meshcode-memory");
    Map<String, String> base = Map.of("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", client.certificatePem().toString());

    Map<String, String> mismatched = new HashMap<>(base);
    mismatched.put("MESHCODE_KAFKA_CLIENT_KEY_FILE", other.keyPem().toString());
    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(mismatched)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_KAFKA_CLIENT_KEY_FILE: the key does not belong to the certificate of MESHCODE_KAFKA_CLIENT_CERT_FILE (CN=meshcode-bus)");

    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(base)))
        .hasMessageStartingWith("MESHCODE_KAFKA_CLIENT_KEY or MESHCODE_KAFKA_CLIENT_KEY_FILE: required with MESHCODE_KAFKA_CLIENT_CERT");

    Path sec1 = dir.resolve("sec1.key");
    Files.writeString(sec1, Files.readString(client.keyPem()).replace("PRIVATE KEY", "EC PRIVATE KEY"));
    Map<String, String> unreadable = new HashMap<>(base);
    unreadable.put("MESHCODE_KAFKA_CLIENT_KEY_FILE", sec1.toString());
    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(unreadable)))
        .hasMessageStartingWith("MESHCODE_KAFKA_CLIENT_KEY_FILE: expected an unencrypted PKCS#8 PEM private key")
        .message().doesNotContain(Files.readString(client.keyPem()).substring(40, 80));
  }

  private void assertRoundTrip(KafkaSettings settings, String id) throws Exception {
    String topic = "tls-" + Ids.newId();
    KafkaAdminClient admin = KafkaClients.admin(vertx, settings, id + "-admin");
    KafkaProducer<String, String> producer = KafkaClients.producer(vertx, settings, id);
    KafkaConsumer<String, String> consumer = KafkaClients.consumer(vertx, settings, id + "-consumer", id + "-" + topic);
    try {
      TestServices.await(KafkaClients.ensureTopics(admin, settings, List.of(topic)));
      TestServices.await(producer.send(KafkaProducerRecord.create(topic, "meshwork-1", "over TLS")));
      CompletableFuture<String> received = new CompletableFuture<>();
      consumer.handler(record -> received.complete(record.value()));
      TestServices.await(consumer.subscribe(topic));
      assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("over TLS");
    } finally {
      TestServices.await(Future.join(consumer.close(), producer.close(), admin.close()));
    }
  }

  private void assertTlsRefused(KafkaSettings settings, String id) throws Exception {
    KafkaAdminClient admin = KafkaClients.admin(vertx, settings, id + "-admin");
    try {
      long start = System.nanoTime();
      Throwable failure = null;
      try {
        admin.listTopics().toCompletionStage().toCompletableFuture().get(REFUSAL_WITHIN.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(failure).as("refused").isInstanceOf(SslAuthenticationException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REFUSAL_WITHIN);
      assertThat(KafkaFailures.describe(failure, settings)).startsWith("TLS with the Kafka brokers failed: ")
          .contains("MESHCODE_KAFKA_TRUSTED_CA_FILE");
    } finally {
      TestServices.await(admin.close());
    }
  }
}
