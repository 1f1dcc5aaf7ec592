package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.platform.Os;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedPostgresServerTest {

  @Test
  @DisplayName("starts, answers, and keeps its data across a restart")
  void startsAnswersAndKeepsDataAcrossRestarts() throws Exception {
    Path dir = TestDirs.fresh("postgres-restart");

    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir, 0);
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid(dir)).orElseThrow();
    try {
      assertThat(first.process().pid()).isEqualTo(postmaster.pid());
      assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/postgres");
      assertThat(queryInt(first, "select 1")).isEqualTo(1);
      execute(first, "create table kept(id int)", "insert into kept values (7)");
    } finally {
      first.close();
      first.close();
    }
    assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    assertThat(Processes.isRunning(postmaster)).isFalse();
    assertThat(first.onExit().get(5, TimeUnit.SECONDS)).as("a clean stop").isZero();

    try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dir, 0)) {
      assertThat(queryInt(again, "select id from kept")).isEqualTo(7);
      assertThat(again.password()).as("the password is kept").isEqualTo(first.password());
    }
  }

  @Test
  @DisplayName("trusts nobody: no trust in pg_hba.conf, the generated password kept 0600, a login without it or with another refused")
  void authenticatesByPasswordOnly() throws Exception {
    Path dir = TestDirs.fresh("postgres-auth");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0)) {
      assertPasswordOnly(pg, dir);
      assertThat(pg.password()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo("postgres");
    }
  }

  @Test
  @DisplayName("upgrades a cluster made with trust authentication in place: a password is set and kept, pg_hba.conf rewritten, no data lost")
  void upgradesATrustClusterInPlace() throws Exception {
    Path dir = TestDirs.fresh("postgres-trust").resolve("pg");
    PostgresBinaries binaries = PostgresBinaries.prepare();
    // What every earlier version (zonky's initdb) made.
    run(binaries, null, "initdb", "-A", "trust", "-U", "postgres", "-E", "UTF-8", "--no-sync", "-D", dir.toString());
    run(binaries, "create table kept(id int);\ninsert into kept values (11);\n",
        "postgres", "--single", "-D", dir.toString(), "-F", "postgres");
    assertThat(PostgresCluster.trusts(Files.readString(dir.resolve("pg_hba.conf")))).isTrue();

    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0)) {
      assertThat(queryInt(pg, "select id from kept")).isEqualTo(11);
      assertPasswordOnly(pg, dir);
    }
  }

  @Test
  @DisplayName("the postmaster stops by itself when the JVM that started it is killed, and the next start finds the data")
  void postmasterStopsWhenItsParentIsKilled() throws Exception {
    Path dir = TestDirs.fresh("postgres-orphan");
    Path dataDir = dir.resolve("pg");
    ProcessHandle postmaster;
    List<ProcessHandle> backends;
    try (ChildJvm parent = ChildJvm.start("postgres", dataDir, dir.resolve("parent.log"))) {
      postmaster = ProcessHandle.of(parent.serverPid()).orElseThrow();
      backends = postmaster.descendants().toList();
      parent.kill();
    }
    assertThat(Processes.awaitExit(postmaster, Duration.ofSeconds(10))).as("postmaster exited by itself").isTrue();
    assertThat(backends).allMatch(backend -> Processes.awaitExit(backend, Duration.ofSeconds(5)));

    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, 0)) {
      assertThat(queryInt(pg, "select id from left_behind")).isEqualTo(42);
    }
  }

  @Test
  @DisplayName("stops a postmaster that an earlier run left running on the folder")
  void stopsALeftoverPostmaster() throws Exception {
    Path dir = TestDirs.fresh("postgres-leftover");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0)) {
      execute(pg, "create table left_behind(id int)", "insert into left_behind values (5)");
    }
    // As an older version's pg_ctl left one: no watchdog, not this JVM's to stop.
    PostgresBinaries binaries = PostgresBinaries.prepare();
    Process leftover = new ProcessBuilder(binaries.command("postgres",
        List.of("-D", dir.toString(), "-p", Integer.toString(Support.freePort()), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("leftover.log").toFile()).start();
    try {
      await(() -> Files.exists(dir.resolve("postmaster.pid")) && Files.readAllLines(dir.resolve("postmaster.pid")).size() >= 8);
      try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0)) {
        assertThat(leftover.isAlive()).isFalse();
        assertThat(queryInt(pg, "select id from left_behind")).isEqualTo(5);
      }
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  @DisplayName("tells at once when the postmaster is killed, and starts again on the same port and data right after")
  void reportsACrashAndRestartsOnTheSamePort() throws Exception {
    Path dir = TestDirs.fresh("postgres-crash");
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir, 0);
    int port = first.port();
    execute(first, "create table kept(id int)", "insert into kept values (3)");
    try (Connection idle = connect(first, first.password())) {
      first.process().destroyForcibly();
      assertThat(first.onExit().get(5, TimeUnit.SECONDS)).as("exit status of a SIGKILL").isEqualTo(137);
      first.close();
      // Its backends leave within moments; PostgreSQL refuses to start while one is left.
      long started = System.nanoTime();
      EmbeddedPostgresServer again = null;
      for (int attempt = 0; again == null; attempt++) {
        try {
          again = EmbeddedPostgresServer.start(dir, port);
        } catch (IllegalStateException e) {
          if (attempt >= 10) {
            throw e;
          }
          Thread.sleep(500);
        }
      }
      try (EmbeddedPostgresServer pg = again) {
        assertThat(pg.port()).isEqualTo(port);
        assertThat(queryInt(pg, "select id from kept")).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      }
    }
  }

  private static void assertPasswordOnly(EmbeddedPostgresServer pg, Path dir) throws Exception {
    String hba = Files.readString(dir.resolve("pg_hba.conf"));
    assertThat(PostgresCluster.trusts(hba)).as(hba).isFalse();
    assertThat(hba.lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
        .allMatch(line -> line.endsWith("scram-sha-256"));
    Path secret = dir.resolve("superuser.password");
    assertThat(Files.readString(secret, StandardCharsets.UTF_8).trim()).isEqualTo(pg.password());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");

    assertThat(queryInt(pg, "select 1")).isEqualTo(1);
    assertThatThrownBy(() -> connect(pg, null).close()).isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> connect(pg, "postgres").close()).isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    assertThat(queryString(pg, "select rolpassword from pg_authid where rolname = 'postgres'")).startsWith("SCRAM-SHA-256$");
  }

  private static void run(PostgresBinaries binaries, String input, String program, String... args) throws Exception {
    Process process = new ProcessBuilder(Support.ownerOnlySession(Os.current(), binaries.command(program, List.of(args))))
        .redirectErrorStream(true).start();
    try (var stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static long postmasterPid(Path dataDir) throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  private static Connection connect(EmbeddedPostgresServer pg, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", pg.user());
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(pg.jdbcUrl(), props);
  }

  private static int queryInt(EmbeddedPostgresServer pg, String sql) throws SQLException {
    try (Connection c = connect(pg, pg.password());
      Statement s = c.createStatement();
      ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }

  private static String queryString(EmbeddedPostgresServer pg, String sql) throws SQLException {
    try (Connection c = connect(pg, pg.password());
      Statement s = c.createStatement();
      ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static void execute(EmbeddedPostgresServer pg, String... sql) throws SQLException {
    try (Connection c = connect(pg, pg.password());
      Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }
}
