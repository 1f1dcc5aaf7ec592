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
import io.vertx.kafka.admin.KafkaAdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Kafka clients over TLS: the brokers' CA, SCRAM over TLS and client certificates (as Strimzi hands them out)")
class KafkaTlsTest {

  private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(15);

  /** Made with keytool on first use, as the first broker starts: the cluster CA, the brokers' certificate and a client's. */
  private static final class Certificates {
    static final Path DIR;
    static final TestCertificates AUTHORITY;
    static final TestCertificates.Leaf BROKER;
    static final TestCertificates.Leaf CLIENT;

    static {
      try {
        DIR = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-tls");
        AUTHORITY = TestCertificates.authority(DIR.resolve("certs"), "meshcode-cluster-ca");
        BROKER = AUTHORITY.issue("broker", "127.0.0.1");
        CLIENT = AUTHORITY.issue("meshcode-bus");
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  @RegisterExtension
  static final SecuredKafka SCRAM_OVER_TLS = SecuredKafka.perClass("kafka-sasl-ssl",
      () -> EmbeddedKafka.Security.saslSsl(Certificates.BROKER.keyAndCertificatePem(), Certificates.AUTHORITY.caPem()),
      () -> Map.of("MESHCODE_KAFKA_TRUSTED_CA_FILE", Certificates.AUTHORITY.caPem().toString()));

  @RegisterExtension
  static final SecuredKafka CERTIFICATES = SecuredKafka.perClass("kafka-ssl",
      () -> EmbeddedKafka.Security.ssl(Certificates.BROKER.keyAndCertificatePem(), Certificates.AUTHORITY.caPem(), true), Map::of);

  @Test
  @DisplayName("SASL_SSL with the cluster CA from MESHCODE_KAFKA_TRUSTED_CA_FILE signs in, produces and consumes")
  void scramOverTlsWithTheCa() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    SCRAM_OVER_TLS.users().create(user, "over-tls");
    SCRAM_OVER_TLS.assertRoundTrip(KafkaSettings.from(new EnvConfig(SCRAM_OVER_TLS.users().environment(user, "over-tls"))), user);
  }

  @Test
  @DisplayName("SASL_SSL without the cluster CA fails the TLS handshake at once, and the failure names the CA setting")
  void scramOverTlsWithoutTheCa() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    SCRAM_OVER_TLS.users().create(user, "over-tls");
    Map<String, String> env = new HashMap<>(SCRAM_OVER_TLS.users().environment(user, "over-tls"));
    env.remove("MESHCODE_KAFKA_TRUSTED_CA_FILE");
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(env));
    assertTlsRefused(settings, user);
  }

  @Test
  @DisplayName("SSL with the client certificate and key files (Strimzi's user.crt and user.key) is let in by a broker that requires one")
  void clientCertificate() throws Exception {
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", CERTIFICATES.broker().bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", Certificates.AUTHORITY.caPem().toString(),
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", Certificates.CLIENT.certificatePem().toString(),
        "MESHCODE_KAFKA_CLIENT_KEY_FILE", Certificates.CLIENT.keyPem().toString())));
    assertThat(settings.security().clientProperties())
        .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.certificate.chain", Files.readString(Certificates.CLIENT.certificatePem()).trim())
        .containsEntry("ssl.keystore.key", Files.readString(Certificates.CLIENT.keyPem()).trim());
    CERTIFICATES.assertRoundTrip(settings, "meshcode-bus");
  }

  @Test
  @DisplayName("SSL without a client certificate, or with one of another CA, is refused by that broker at once")
  void noOrForeignClientCertificate() throws Exception {
    assertTlsRefused(KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", CERTIFICATES.broker().bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", Certificates.AUTHORITY.caPem().toString()))), "no-certificate");

    TestCertificates.Leaf stranger = TestCertificates.authority(Certificates.DIR.resolve("other"), "another-ca").issue("stranger");
    assertTlsRefused(KafkaSettings.from(new EnvConfig(Map.of(
        "MESHCODE_KAFKA_BOOTSTRAP", CERTIFICATES.broker().bootstrapServers(),
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_TRUSTED_CA_FILE", Certificates.AUTHORITY.caPem().toString(),
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", stranger.certificatePem().toString(),
        "MESHCODE_KAFKA_CLIENT_KEY_FILE", stranger.keyPem().toString()))), "stranger");
  }

  @Test
  @DisplayName("a client key that is not the certificate's, a certificate without its key, or a key Kafka cannot read stops start-up naming the variable")
  void clientKeyMustFitTheCertificate() throws Exception {
    TestCertificates.Leaf other = Certificates.AUTHORITY.issue("meshcode-memory");
    Map<String, String> base = Map.of("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHCODE_KAFKA_CLIENT_CERT_FILE", Certificates.CLIENT.certificatePem().toString());

    Map<String, String> mismatched = new HashMap<>(base);
    mismatched.put("MESHCODE_KAFKA_CLIENT_KEY_FILE", other.keyPem().toString());
    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(mismatched)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_KAFKA_CLIENT_KEY_FILE: the key does not belong to the certificate of MESHCODE_KAFKA_CLIENT_CERT_FILE (CN=meshcode-bus)");

    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(base)))
        .hasMessageStartingWith("MESHCODE_KAFKA_CLIENT_KEY or MESHCODE_KAFKA_CLIENT_KEY_FILE: required with MESHCODE_KAFKA_CLIENT_CERT");

    Path sec1 = Certificates.DIR.resolve("sec1.key");
    Files.writeString(sec1, Files.readString(Certificates.CLIENT.keyPem()).replace("PRIVATE KEY", "EC PRIVATE KEY"));
    Map<String, String> unreadable = new HashMap<>(base);
    unreadable.put("MESHCODE_KAFKA_CLIENT_KEY_FILE", sec1.toString());
    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(unreadable)))
        .hasMessageStartingWith("MESHCODE_KAFKA_CLIENT_KEY_FILE: expected an unencrypted PKCS#8 PEM private key")
        .message().doesNotContain(Files.readString(Certificates.CLIENT.keyPem()).substring(40, 80));
  }

  private void assertTlsRefused(KafkaSettings settings, String id) throws Exception {
    KafkaAdminClient admin = KafkaClients.admin(SCRAM_OVER_TLS.vertx(), settings, id + "-admin");
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
