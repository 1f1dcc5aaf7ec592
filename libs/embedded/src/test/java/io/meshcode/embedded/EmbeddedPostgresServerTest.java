package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedPostgresServerTest {

  @Test
  void startsAnswersAndKeepsDataAcrossRestarts() throws Exception {
    Path dir = TestDirs.fresh("postgres-restart");

    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir, 0);
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid(dir)).orElseThrow();
    try {
      assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/postgres");
      assertThat(queryInt(first, "select 1")).isEqualTo(1);
      execute(first, "create table kept(id int)", "insert into kept values (7)");
    } finally {
      first.close();
      first.close();
    }
    assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    assertThat(Processes.isRunning(postmaster)).isFalse();

    try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dir, 0)) {
      assertThat(queryInt(again, "select id from kept")).isEqualTo(7);
    }
  }

  @Test
  void stopsAServerLeftRunningByAKilledParent() throws Exception {
    Path dir = TestDirs.fresh("postgres-orphan");
    Path dataDir = dir.resolve("pg");
    ProcessHandle orphan;
    try (ChildJvm parent = ChildJvm.start("postgres", dataDir, dir.resolve("parent.log"))) {
      orphan = ProcessHandle.of(parent.serverPid()).orElseThrow();
      parent.kill();
    }
    assertThat(Processes.isRunning(orphan)).as("pg_ctl detaches postgres from the killed JVM").isTrue();

    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, 0)) {
      assertThat(Processes.isRunning(orphan)).isFalse();
      assertThat(queryInt(pg, "select id from left_behind")).isEqualTo(42);
    }
  }

  static long postmasterPid(Path dataDir) throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  private static int queryInt(EmbeddedPostgresServer pg, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
      Statement s = c.createStatement();
      ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }

  private static void execute(EmbeddedPostgresServer pg, String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
      Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }
}
