package io.meshcode.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A stand-in for a launcher that gets killed: starts one server, prints
 * {@code PARENT-READY <pid of the server>} and waits to be killed.
 * Usage: {@code ParentMain kafka|postgres <dataDir>}.
 */
public final class ParentMain {

  static final String READY = "PARENT-READY";

  private ParentMain() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    long serverPid;
    switch (args[0]) {
      case "kafka" -> serverPid = EmbeddedKafka.start(dir, 0).process().pid();
      case "postgres" -> {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement s = c.createStatement()) {
          s.execute("create table left_behind(id int)");
          s.execute("insert into left_behind values (42)");
        }
        serverPid = EmbeddedPostgresServerTest.postmasterPid(dir);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println(READY + " " + serverPid);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
