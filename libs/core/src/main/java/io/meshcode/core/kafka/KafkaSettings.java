package io.meshcode.core.kafka;

import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;

/** Where the brokers are, how the clients authenticate to them, and how the mesh's topics are laid out. */
public record KafkaSettings(String bootstrapServers, int partitions, short replicationFactor, KafkaSecurity security) {

  /** Brokers reached without TLS or authentication (the local mesh, the tests). */
  public KafkaSettings(String bootstrapServers, int partitions, short replicationFactor) {
    this(bootstrapServers, partitions, replicationFactor, KafkaSecurity.PLAINTEXT);
  }

  public static KafkaSettings from(EnvConfig env) {
    String bootstrap = env.string("MESHCODE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    for (String server : bootstrap.split(",")) {
      if (!server.trim().matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        throw new ConfigException("MESHCODE_KAFKA_BOOTSTRAP", "host:port[,host:port…]", bootstrap);
      }
    }
    int partitions = env.integer("MESHCODE_KAFKA_PARTITIONS", 3, 1, 1000);
    int replication = env.integer("MESHCODE_KAFKA_REPLICATION", 1, 1, 10);
    return new KafkaSettings(bootstrap, partitions, (short) replication, KafkaSecurity.from(env));
  }
}
