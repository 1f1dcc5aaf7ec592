package io.meshcode.core.db;

import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;

/** How a service reaches PostgreSQL. The password never appears in {@link #toString()}. */
public record DatabaseSettings(String host, int port, String database, String user, String password, int poolSize) {

  public static DatabaseSettings from(EnvConfig env) {
    String host = env.string("MESHCODE_DB_HOST", "127.0.0.1");
    if (!host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
      throw new ConfigException("MESHCODE_DB_HOST", "a host name or address", host);
    }
    int port = env.port("MESHCODE_DB_PORT", 5432);
    if (port == 0) {
      throw new ConfigException("MESHCODE_DB_PORT", "a port number 1-65535", "0");
    }
    return new DatabaseSettings(
        host,
        port,
        env.string("MESHCODE_DB_NAME", "meshcode"),
        env.string("MESHCODE_DB_USER", "meshcode"),
        env.secret("MESHCODE_DB_PASSWORD").orElse(""),
        env.integer("MESHCODE_DB_POOL_SIZE", 8, 1, 200));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + ", pool " + poolSize + "]";
  }
}
