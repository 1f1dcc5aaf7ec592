package io.meshcode.core.service;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.http.edge.EdgeLimits;
import io.meshcode.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What every service reads from its environment; docs/CONFIG.md lists each variable. */
public record ServiceSettings(
    String name,
    String httpHost,
    int httpPort,
    DatabaseSettings database,
    KafkaSettings kafka,
    String internalPublicKeyPem,
    Duration shutdownGrace,
    EdgeLimits edge) {

  /**
   * The environment that points a service at this PostgreSQL and Kafka, on a free loopback port:
   * what the local mesh and the test kit give every service they start.
   */
  public static Map<String, String> loopbackEnvironment(DatabaseSettings db, String kafkaBootstrap, String internalPublicKeyPem) {
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_HTTP_HOST", "127.0.0.1");
    env.put("MESHCODE_HTTP_PORT", "0");
    env.put("MESHCODE_DB_HOST", db.host());
    env.put("MESHCODE_DB_PORT", Integer.toString(db.port()));
    env.put("MESHCODE_DB_NAME", db.database());
    env.put("MESHCODE_DB_USER", db.user());
    env.put("MESHCODE_DB_PASSWORD", db.password());
    env.put("MESHCODE_KAFKA_BOOTSTRAP", kafkaBootstrap);
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", internalPublicKeyPem);
    return env;
  }

  public static ServiceSettings from(EnvConfig env, String name, int defaultPort) {
    String publicKey = env.requiredSecret("MESHCODE_INTERNAL_PUBLIC_KEY", "the gateway's PEM public key for internal tokens");
    try {
      InternalKeys.requireValidPublicKey(publicKey);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("MESHCODE_INTERNAL_PUBLIC_KEY: expected one or more PEM-encoded EC (P-256) public keys,"
          + " one after the other; " + e.getMessage());
    }
    return new ServiceSettings(
        name,
        env.string("MESHCODE_HTTP_HOST", "0.0.0.0"),
        env.port("MESHCODE_HTTP_PORT", defaultPort),
        DatabaseSettings.from(env),
        KafkaSettings.from(env),
        publicKey,
        env.seconds("MESHCODE_SHUTDOWN_GRACE_SECONDS", Duration.ofSeconds(10), 300),
        EdgeLimits.from(env));
  }
}
