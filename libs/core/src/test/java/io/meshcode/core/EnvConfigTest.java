package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.service.ServiceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Configuration from the environment")
class EnvConfigTest {

  @Test
  @DisplayName("uses defaults that work locally when nothing is set")
  void defaults() {
    EnvConfig env = new EnvConfig(Map.of());
    assertThat(env.port("MESHCODE_HTTP_PORT", 8081)).isEqualTo(8081);
    assertThat(KafkaSettings.from(env).bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(DatabaseSettings.from(env).jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/meshcode");
  }

  @Test
  @DisplayName("names the variable and what was expected for a bad port")
  void badPort() {
    EnvConfig env = new EnvConfig(Map.of("MESHCODE_HTTP_PORT", "eighty"));
    assertThatThrownBy(() -> env.port("MESHCODE_HTTP_PORT", 8080))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_HTTP_PORT: expected a port number 0-65535, got 'eighty'");
    assertThatThrownBy(() -> new EnvConfig(Map.of("P", "70000")).port("P", 1))
        .hasMessageContaining("P: expected a port number");
  }

  @Test
  @DisplayName("rejects a malformed URL, naming the variable")
  void badUrl() {
    assertThatThrownBy(() -> new EnvConfig(Map.of("MESHCODE_BUS_URL", "bus:8081")).httpUrl("MESHCODE_BUS_URL", null))
        .hasMessageStartingWith("MESHCODE_BUS_URL: expected an http(s) URL");
    assertThatThrownBy(() -> new EnvConfig(Map.of("MESHCODE_BUS_URL", "http://exa mple")).httpUrl("MESHCODE_BUS_URL", null))
        .hasMessageStartingWith("MESHCODE_BUS_URL: expected an http(s) URL");
    assertThat(new EnvConfig(Map.of("U", "http://bus:8081")).httpUrl("U", null).getPort()).isEqualTo(8081);
  }

  @Test
  @DisplayName("rejects a malformed Kafka bootstrap list")
  void badBootstrap() {
    assertThatThrownBy(() -> KafkaSettings.from(new EnvConfig(Map.of("MESHCODE_KAFKA_BOOTSTRAP", "localhost"))))
        .hasMessageStartingWith("MESHCODE_KAFKA_BOOTSTRAP: expected host:port");
  }

  @Test
  @DisplayName("reads a secret from NAME_FILE, and names the variable when the file is unreadable")
  void secretFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "s3cret\n");
    assertThat(new EnvConfig(Map.of("MESHCODE_DB_PASSWORD_FILE", file.toString())).secret("MESHCODE_DB_PASSWORD")).contains("s3cret");
    assertThatThrownBy(() -> new EnvConfig(Map.of("MESHCODE_DB_PASSWORD_FILE", dir.resolve("missing").toString())).secret("MESHCODE_DB_PASSWORD"))
        .hasMessageStartingWith("MESHCODE_DB_PASSWORD_FILE: expected a readable file");
  }

  @Test
  @DisplayName("refuses to start a service without a valid internal-token public key")
  void internalKeyRequired() {
    assertThatThrownBy(() -> ServiceSettings.from(new EnvConfig(Map.of()), "bus", 8081))
        .hasMessageStartingWith("MESHCODE_INTERNAL_PUBLIC_KEY or MESHCODE_INTERNAL_PUBLIC_KEY_FILE: expected");
    assertThatThrownBy(() -> ServiceSettings.from(new EnvConfig(Map.of("MESHCODE_INTERNAL_PUBLIC_KEY", "garbage")), "bus", 8081))
        .hasMessage("MESHCODE_INTERNAL_PUBLIC_KEY: expected one or more PEM-encoded EC (P-256) public keys, one after the other;"
            + " no PEM public key (-----BEGIN PUBLIC KEY-----)");
    String both = InternalKeys.generate().publicKeyPem() + InternalKeys.generate().publicKeyPem();
    assertThat(ServiceSettings.from(new EnvConfig(Map.of("MESHCODE_INTERNAL_PUBLIC_KEY", both)), "bus", 8081).internalPublicKeyPem())
        .as("two keys during a rotation").isEqualTo(both);
  }

  @Test
  @DisplayName("never prints the database password")
  void passwordHidden() {
    DatabaseSettings db = DatabaseSettings.from(new EnvConfig(Map.of("MESHCODE_DB_PASSWORD", "hunter2")));
    assertThat(db.password()).isEqualTo("hunter2");
    assertThat(db.toString()).doesNotContain("hunter2");
  }
}
