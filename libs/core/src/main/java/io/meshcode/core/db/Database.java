package io.meshcode.core.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/** The connection pool and schema migrations of one service. */
public final class Database {

  /** The longest statement, in characters, whose preparation each connection keeps. */
  public static final int CACHED_SQL_LIMIT = 8192;

  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseSettings settings, String schema) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setDatabase(settings.database())
        .setUser(settings.user())
        .setPassword(settings.password())
        // Unqualified names resolve in the service's own schema, and nowhere else.
        .addProperty("search_path", schema)
        // Each connection parses and plans a statement once, not on every execution: planning the
        // bus's multi-part statements cost more PostgreSQL CPU than running them.
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(256)
        // The client's default caches only statements up to 2,048 characters; a send is one longer
        // statement, which PostgreSQL would otherwise parse anew on every execution.
        .setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT)
        .setReconnectAttempts(0);
    PoolOptions pool = new PoolOptions().setMaxSize(settings.poolSize()).setName(schema + "-pool");
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /**
   * Migrates the service's own schema with the versioned SQL under {@code db/<schema>/} on the
   * classpath. Flyway is blocking JDBC, so it runs on a worker thread.
   */
  public static Future<Integer> migrate(Vertx vertx, DatabaseSettings settings, String schema) {
    return vertx.executeBlocking(() -> Flyway.configure(Database.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .schemas(schema)
        .createSchemas(true)
        .locations("classpath:db/" + schema)
        .connectRetries(0)
        .load()
        .migrate()
        .migrationsExecuted, false);
  }
}
