package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.db.Database;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several replicas of a service start at once on a fresh database, as a Deployment's pods do, and
 * each migrates the service's schema at start ({@link Database#migrate}). Flyway serialises them
 * with a PostgreSQL advisory lock; this is the proof.
 */
@DisplayName("Schema migrations started by several replicas at once")
class ConcurrentMigrationTest {

  private static final int REPLICAS = 4;
  private static final String SCHEMA = "racing";
  private static final List<String> VERSIONS = List.of("1", "2", "3", "4");

  @Test
  @DisplayName("all succeed, each migration runs exactly once under Flyway's advisory lock, and the schema is complete")
  void replicasRaceOnAFreshDatabase() throws Exception {
    DatabaseSettings shared = TestInfra.get().database();
    String name = "fresh_" + Ids.newId().replace("-", "_").toLowerCase();
    try (Connection admin = TestInfra.get().openJdbc(); Statement create = admin.createStatement()) {
      create.execute("CREATE DATABASE " + name);
    }
    DatabaseSettings fresh = new DatabaseSettings(shared.host(), shared.port(), name, shared.user(), shared.password(), 2);

    AtomicBoolean racing = new AtomicBoolean(true);
    AtomicInteger mostLocksHeld = new AtomicInteger();
    Thread watcher = new Thread(() -> watchAdvisoryLocks(fresh, racing, mostLocksHeld), "advisory-lock-watcher");
    watcher.start();

    List<Vertx> replicas = new ArrayList<>();
    List<CompletableFuture<Integer>> migrations = new ArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    try {
      for (int i = 0; i < REPLICAS; i++) {
        Vertx vertx = Vertx.vertx();
        replicas.add(vertx);
        CompletableFuture<Integer> migrated = new CompletableFuture<>();
        migrations.add(migrated);
        new Thread(() -> {
          try {
            gate.await();
            Database.migrate(vertx, fresh, SCHEMA).onComplete(result -> {
              if (result.succeeded()) {
                migrated.complete(result.result());
              } else {
                migrated.completeExceptionally(result.cause());
              }
            });
          } catch (InterruptedException e) {
            migrated.completeExceptionally(e);
          }
        }, "replica-" + i).start();
      }
      long start = System.nanoTime();
      gate.countDown();
      int executed = 0;
      for (CompletableFuture<Integer> migration : migrations) {
        executed += migration.get(120, TimeUnit.SECONDS);
      }
      System.out.printf("%d replicas migrated %d versions in %d ms%n", REPLICAS, VERSIONS.size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(executed).as("migrations executed by all replicas together").isEqualTo(VERSIONS.size());
    } finally {
      racing.set(false);
      watcher.join();
      for (Vertx vertx : replicas) {
        TestServices.await(vertx.close());
      }
    }
    assertThat(mostLocksHeld.get()).as("an advisory lock was held while migrating").isGreaterThanOrEqualTo(1);

    try (Connection db = DriverManager.getConnection(fresh.jdbcUrl(), fresh.user(), fresh.password());
        Statement sql = db.createStatement()) {
      Map<String, Integer> runs = new TreeMap<>();
      try (ResultSet rows = sql.executeQuery("SELECT version, count(*), bool_and(success) FROM racing.flyway_schema_history"
          + " WHERE type = 'SQL' GROUP BY version")) {
        while (rows.next()) {
          runs.put(rows.getString(1), rows.getInt(2));
          assertThat(rows.getBoolean(3)).as("version " + rows.getString(1) + " succeeded").isTrue();
        }
      }
      assertThat(runs).as("each version once").containsOnlyKeys(VERSIONS).allSatisfy((version, count) -> assertThat(count).isEqualTo(1));
      try (ResultSet rows = sql.executeQuery("SELECT count(*), min(name), bool_and(created_at IS NOT NULL) FROM racing.racing_items")) {
        rows.next();
        assertThat(rows.getInt(1)).as("the seed ran once").isEqualTo(1);
        assertThat(rows.getString(2)).isEqualTo("once");
        assertThat(rows.getBoolean(3)).as("the slow column exists").isTrue();
      }
      try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = 'racing' AND indexname = 'racing_items_name'")) {
        rows.next();
        assertThat(rows.getInt(1)).as("the last migration's index").isEqualTo(1);
      }
    }
  }

  /** Counts the advisory locks held in the fresh database every 20 ms while the replicas race. */
  private static void watchAdvisoryLocks(DatabaseSettings db, AtomicBoolean racing, AtomicInteger most) {
    try (Connection conn = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement sql = conn.createStatement()) {
      while (racing.get()) {
        try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
          rows.next();
          most.accumulateAndGet(rows.getInt(1), Math::max);
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new IllegalStateException("watching advisory locks failed", e);
    }
  }
}
