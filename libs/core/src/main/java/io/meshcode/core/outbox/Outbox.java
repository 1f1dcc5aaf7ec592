package io.meshcode.core.outbox;

import io.meshcode.core.kafka.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Objects;

/**
 * The transactional outbox: a service writes each event into its own {@code outbox} table on the
 * connection of the transaction that makes the change, so the event is stored exactly when the
 * change is, and {@link OutboxRelay} publishes it to Kafka afterwards. Accepted data is never
 * lost to a broker that is down, and a rolled-back change never announces itself.
 *
 * <p>The table lives in the service's own schema (the pool's {@code search_path} finds it); each
 * service's migration creates it with {@link #DDL}.
 */
public final class Outbox {

  /**
   * The table every service using the outbox creates in its migration. {@code id} gives the
   * publishing order; {@code record_key} is the Kafka key (the meshwork id); {@code payload} is
   * the record's JSON (usually an envelope), published as is.
   */
  public static final String DDL = """
      CREATE TABLE outbox (
          id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          topic       text        NOT NULL,
          record_key  text        NOT NULL,
          payload     text        NOT NULL,
          created_at  timestamptz NOT NULL DEFAULT now()
      );
      """;

  private static final String INSERT = """
      INSERT INTO outbox (topic, record_key, payload) VALUES ($1, $2, $3)
      """;

  private Outbox() {}

  /** Stores {@code event} for {@code topic}, keyed by its meshwork; commit or roll back with the caller's transaction. */
  public static Future<Void> append(SqlConnection conn, String topic, EventEnvelope event) {
    return append(conn, topic, event.meshwork(), event.toJson());
  }

  /** A record for the outbox: its Kafka key (the meshwork) and payload. */
  public record Keyed(String key, JsonObject payload) {
    public Keyed {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Stores {@code records} for {@code topic}, in their order, in one round trip. */
  public static Future<Void> appendAll(SqlConnection conn, String topic, List<Keyed> records) {
    Objects.requireNonNull(topic, "topic");
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = records.stream().map(record -> Tuple.of(topic, record.key(), record.payload().encode())).toList();
    return conn.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
  }

  /** Stores a record of another shape than an envelope for {@code topic}, keyed by {@code meshwork}. */
  public static Future<Void> append(SqlConnection conn, String topic, String meshwork, JsonObject payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(meshwork, "meshwork");
    return conn.preparedQuery(INSERT)
        .execute(Tuple.of(topic, meshwork, payload.encode()))
        .mapEmpty();
  }
}
