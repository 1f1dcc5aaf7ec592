package io.meshcode.testkit;

import io.meshcode.core.db.Database;
import io.meshcode.core.kafka.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A service's schema, migrated in the test kit's database, with a pool on it: for a test class
 * that runs the service's SQL without the service, so the events it appends stay in the outbox to
 * be counted. {@code @RegisterExtension static final TestSchema schema = TestSchema.perClass("bus");}
 */
public final class TestSchema implements BeforeAllCallback, AfterAllCallback {

  private final String schema;
  private Vertx vertx;
  private Pool pool;

  private TestSchema(String schema) {
    this.schema = schema;
  }

  public static TestSchema perClass(String schema) {
    return new TestSchema(schema);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    TestServices.await(Database.migrate(vertx, TestInfra.get().database(), schema));
    pool = Database.pool(vertx, TestInfra.get().database(), schema);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pool != null) {
      TestServices.await(pool.close());
    }
    TestServices.await(vertx.close());
  }

  public Pool pool() {
    return pool;
  }

  /**
   * The plan PostgreSQL makes of {@code sql} for any parameter values — the generic plan a cached
   * prepared statement soon runs with — one line per element, as {@code EXPLAIN} prints it.
   */
  public List<String> genericPlan(String sql) {
    List<String> plan = new ArrayList<>();
    TestServices.await(pool.query("EXPLAIN (GENERIC_PLAN) " + sql).execute()).forEach(row -> plan.add(row.getString(0)));
    return plan;
  }

  /**
   * Runs {@code work} in {@code racers} transactions released at the same instant, as on that many
   * replicas: each waits inside its transaction at the advisory lock {@code gate}, which this holds
   * until PostgreSQL shows all of them waiting there. Answers what each completed with.
   */
  public <T> List<T> race(long gate, int racers, Function<SqlConnection, Future<T>> work) throws SQLException {
    try (Connection holder = TestInfra.get().openJdbc()) {
      execute(holder, "SELECT pg_advisory_lock(?)", gate);
      List<Future<T>> racing = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        racing.add(pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(gate))
            .compose(v -> work.apply(conn))));
      }
      Eventually.equalTo(() -> waitingAt(holder, gate), (long) racers);
      execute(holder, "SELECT pg_advisory_unlock(?)", gate);
      TestServices.await(Future.all(racing));
      return racing.stream().map(Future::result).toList();
    }
  }

  /** The envelopes waiting in the schema's outbox for {@code meshwork}, in the order they were appended. */
  public List<EventEnvelope> outbox(String meshwork) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc();
         PreparedStatement ps = TestSql.prepare(conn, "SELECT payload FROM " + schema + ".outbox WHERE record_key = ? ORDER BY id", meshwork);
         ResultSet rows = ps.executeQuery()) {
      List<EventEnvelope> events = new ArrayList<>();
      while (rows.next()) {
        events.add(EventEnvelope.fromJson(new JsonObject(rows.getString(1))));
      }
      return events;
    }
  }

  /** How many sessions of this database wait for the advisory lock {@code gate} (a bigint key: objsubid 1). */
  private static long waitingAt(Connection conn, long gate) {
    try (PreparedStatement ps = TestSql.prepare(conn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        + " AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = ?"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", gate);
         ResultSet rows = ps.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("reading pg_locks: " + e.getMessage(), e);
    }
  }

  private static void execute(Connection conn, String statement, Object... params) throws SQLException {
    try (PreparedStatement ps = TestSql.prepare(conn, statement, params)) {
      ps.execute();
    }
  }
}
