package io.meshcode.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The Kafka clients' security settings (MESHCODE_KAFKA_*)")
class KafkaSecurityTest {

  private static KafkaSecurity from(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return KafkaSettings.from(new EnvConfig(env)).security();
  }

  @Test
  @DisplayName("default to PLAINTEXT, adding nothing but the protocol to the clients")
  void plaintextByDefault() {
    KafkaSecurity security = from();
    assertThat(security.protocol()).isEqualTo(KafkaSecurity.Protocol.PLAINTEXT);
    assertThat(security.clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    assertThat(KafkaClients.common(new KafkaSettings("broker:9092", 3, (short) 1), "c"))
        .containsEntry("security.protocol", "PLAINTEXT").containsEntry("bootstrap.servers", "broker:9092");
  }

  @Test
  @DisplayName("map SASL_SSL with SCRAM to the protocol, the mechanism and a JAAS line Kafka reads back to the same user and password")
  void scramOverTls() {
    String password = "pa\"ss\\word with spaces & ;semicolons";
    KafkaSecurity security = from(
        "MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "MESHCODE_KAFKA_USERNAME", "meshcode-bus",
        "MESHCODE_KAFKA_PASSWORD", password);
    Map<String, String> properties = security.clientProperties();
    assertThat(properties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .doesNotContainKeys("ssl.truststore.type", "ssl.keystore.type");

    // Read back the way the Kafka client itself reads it.
    AppConfigurationEntry entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(properties.get("sasl.jaas.config"))))
        .configurationEntries().get(0);
    assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    assertThat(entry.getControlFlag()).isEqualTo(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED);
    assertThat(entry.getOptions().get("username")).isEqualTo("meshcode-bus");
    assertThat(entry.getOptions().get("password")).isEqualTo(password);
  }

  @Test
  @DisplayName("take SCRAM-SHA-256, and PLAIN over TLS with the plain login module")
  void otherMechanisms() {
    assertThat(from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext", "MESHCODE_KAFKA_SASL_MECHANISM", "scram-sha-256",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "p").clientProperties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    assertThat(from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "MESHCODE_KAFKA_SASL_MECHANISM", "PLAIN",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "p").clientProperties().get("sasl.jaas.config"))
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required ");
  }

  @Test
  @DisplayName("read the password from MESHCODE_KAFKA_PASSWORD_FILE, as Kubernetes mounts the KafkaUser's Secret")
  void passwordFromFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "from-the-secret\n");
    KafkaSecurity security = from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "MESHCODE_KAFKA_USERNAME", "meshcode-memory", "MESHCODE_KAFKA_PASSWORD_FILE", file.toString());
    assertThat(security.clientProperties().get("sasl.jaas.config")).contains("password=\"from-the-secret\";");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "MESHCODE_KAFKA_USERNAME", "u",
        "MESHCODE_KAFKA_PASSWORD_FILE", dir.resolve("missing").toString()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("MESHCODE_KAFKA_PASSWORD_FILE: expected a readable file");
  }

  @Test
  @DisplayName("never show the password, in toString or in an error")
  void passwordNeverShown() {
    KafkaSecurity security = from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "MESHCODE_KAFKA_USERNAME", "meshcode-tasks", "MESHCODE_KAFKA_PASSWORD", "hunter2-secret");
    assertThat(security.toString()).contains("SASL_SSL", "SCRAM-SHA-512", "meshcode-tasks").doesNotContain("hunter2");
    assertThat(KafkaSettings.from(new EnvConfig(Map.of("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "hunter2-secret"))).toString()).doesNotContain("hunter2");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "hunter2\nsecret"))
        .hasMessage("MESHCODE_KAFKA_PASSWORD: expected a password without control characters (value not shown)")
        .message().doesNotContain("hunter2");
  }

  @Test
  @DisplayName("refuse a protocol or mechanism Kafka does not have, naming the variable")
  void unknownValues() {
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "TLS"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_KAFKA_SECURITY_PROTOCOL: expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got 'TLS'");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "MESHCODE_KAFKA_SASL_MECHANISM", "GSSAPI",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "p"))
        .hasMessage("MESHCODE_KAFKA_SASL_MECHANISM: expected SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN, got 'GSSAPI'");
  }

  @Test
  @DisplayName("refuse SASL without a user or a password, and PLAIN without TLS")
  void saslNeedsCredentials() {
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "MESHCODE_KAFKA_PASSWORD", "p"))
        .hasMessageStartingWith("MESHCODE_KAFKA_USERNAME: required with MESHCODE_KAFKA_SECURITY_PROTOCOL=SASL_SSL");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "MESHCODE_KAFKA_USERNAME", "u"))
        .hasMessage("MESHCODE_KAFKA_PASSWORD or MESHCODE_KAFKA_PASSWORD_FILE: required with MESHCODE_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "MESHCODE_KAFKA_SASL_MECHANISM", "PLAIN",
        "MESHCODE_KAFKA_USERNAME", "u", "MESHCODE_KAFKA_PASSWORD", "p"))
        .hasMessageStartingWith("MESHCODE_KAFKA_SASL_MECHANISM: PLAIN sends the password as it is");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"MESHCODE_KAFKA_USERNAME", "MESHCODE_KAFKA_PASSWORD", "MESHCODE_KAFKA_SASL_MECHANISM"})
  @DisplayName("refuse SASL settings without a SASL protocol, rather than connect without them")
  void saslSettingsNeedSasl(String variable) {
    assertThatThrownBy(() -> from(variable, "SCRAM-SHA-512"))
        .hasMessage(variable + ": set only with MESHCODE_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT or SASL_SSL (it is PLAINTEXT)");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL", variable, "SCRAM-SHA-512"))
        .hasMessageEndingWith("(it is SSL)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"MESHCODE_KAFKA_TRUSTED_CA_FILE", "MESHCODE_KAFKA_CLIENT_CERT_FILE", "MESHCODE_KAFKA_CLIENT_KEY_FILE"})
  @DisplayName("refuse TLS files without a TLS protocol, rather than connect in the clear")
  void tlsSettingsNeedTls(String variable) {
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "MESHCODE_KAFKA_USERNAME", "u",
        "MESHCODE_KAFKA_PASSWORD", "p", variable, "/etc/ca.crt"))
        .hasMessage(variable + ": set only with MESHCODE_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL (it is SASL_PLAINTEXT)");
  }

  @Test
  @DisplayName("refuse a CA file that is missing or holds no certificate, naming the variable and the path")
  void badCaFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("ca.crt");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL", "MESHCODE_KAFKA_TRUSTED_CA_FILE", missing.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_KAFKA_TRUSTED_CA_FILE: expected a readable file, got '" + missing + "'");
    Files.writeString(missing, "not a certificate");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL", "MESHCODE_KAFKA_TRUSTED_CA_FILE", missing.toString()))
        .hasMessage("MESHCODE_KAFKA_TRUSTED_CA_FILE: expected PEM X.509 certificates (-----BEGIN CERTIFICATE-----)");
    Files.writeString(missing, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL", "MESHCODE_KAFKA_TRUSTED_CA_FILE", missing.toString()))
        .hasMessageStartingWith("MESHCODE_KAFKA_TRUSTED_CA_FILE: expected PEM X.509 certificates (-----BEGIN CERTIFICATE-----); it does not parse");
  }

  @Test
  @DisplayName("use the JVM's trust store when TLS is on and no CA is given")
  void tlsWithoutCa() {
    KafkaSecurity security = from("MESHCODE_KAFKA_SECURITY_PROTOCOL", "SSL");
    assertThat(security.clientProperties()).containsExactly(Map.entry("security.protocol", "SSL"));
    assertThat(security.toString()).isEqualTo("KafkaSecurity[SSL, brokers' CA from the JVM's trust store]");
  }

  @Test
  @DisplayName("quote JAAS values so that quotes and backslashes cannot end them")
  void jaasQuoting() {
    assertThat(KafkaSecurity.jaasQuoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }
}
