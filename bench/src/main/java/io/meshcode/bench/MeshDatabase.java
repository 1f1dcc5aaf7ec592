package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The local mesh's own PostgreSQL, as the benchmark reads it: the floor under a durable send (one
 * row committed, one statement at a time on one connection) and the whole server's counters
 * ({@code pg_stat_database}), whose difference over a run gives transactions and row writes per
 * message. Signs in as the superuser with the password the mesh keeps 0600 in its data folder.
 */
final class MeshDatabase implements AutoCloseable {

  /**
   * What {@code pg_stat_database} counts, summed over every database. A backend reports its counts
   * at most once a second, and an idle one after ten seconds ({@code PGSTAT_IDLE_INTERVAL}), so a
   * sample is taken only after {@link #SETTLE_MS} of quiet.
   */
  record Counters(long transactions, long inserted, long updated, long deleted) {
    Counters minus(Counters before) {
      return new Counters(transactions - before.transactions, inserted - before.inserted, updated - before.updated,
          deleted - before.deleted);
    }

    long rowWrites() {
      return inserted + updated + deleted;
    }
  }

  /** How long the mesh is left alone before a counter sample, so every backend has reported. */
  static final long SETTLE_MS = 11_000;

  private static final String COUNTERS = """
      SELECT sum(xact_commit + xact_rollback) AS xacts, sum(tup_inserted) AS ins, sum(tup_updated) AS upd, sum(tup_deleted) AS del
      FROM pg_stat_database""";

  private final Pool pool;

  private MeshDatabase(Pool pool) {
    this.pool = pool;
  }

  static MeshDatabase connect(Vertx vertx, MeshProcess mesh) throws Exception {
    String password = Files.readString(mesh.home().resolve("dev/postgres/superuser.password"), StandardCharsets.UTF_8).strip();
    PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(mesh.postgresPort())
        .setDatabase("postgres").setUser("postgres").setPassword(password);
    return new MeshDatabase(PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(connect).using(vertx).build());
  }

  /** The counters now, once the mesh has been quiet for {@link #SETTLE_MS}. */
  Counters settledCounters() throws Exception {
    Thread.sleep(SETTLE_MS);
    Row row = await(pool.query(COUNTERS).execute()).iterator().next();
    return new Counters(row.getLong("xacts"), row.getLong("ins"), row.getLong("upd"), row.getLong("del"));
  }

  /** One row inserted and committed at a time, for {@code warmupSeconds} uncounted and then {@code seconds}. */
  Latencies commitFloor(int seconds, int warmupSeconds) {
    await(pool.query("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, at bigint NOT NULL)").execute());
    Latencies latencies = new Latencies();
    long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
      await(pool.preparedQuery("INSERT INTO bench_floor (at) VALUES ($1)").execute(Tuple.of(start)));
      if (start >= measureFrom) {
        latencies.add(System.nanoTime() - start);
      }
    }
    await(pool.query("DROP TABLE bench_floor").execute());
    return latencies;
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public void close() {
    await(pool.close());
  }
}
