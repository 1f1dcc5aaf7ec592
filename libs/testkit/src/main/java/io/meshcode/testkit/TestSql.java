package io.meshcode.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** SQL straight against the test kit's database, as a test's way to move time or look inside a service's tables. */
public final class TestSql {

  private TestSql() {}

  /** Runs one statement with {@code params} bound in order; answers how many rows it changed. */
  public static int update(String statement, Object... params) {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = prepare(conn, statement, params)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  /** The single number {@code query} answers ({@code SELECT count(*) …}). */
  public static long count(String query, Object... params) {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = prepare(conn, query, params);
         ResultSet rows = ps.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(query + ": " + e.getMessage(), e);
    }
  }

  /** The database's clock, for a time a test compares with the times the database stamps on rows. */
  public static Instant clock() {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = conn.prepareStatement("SELECT clock_timestamp()");
         ResultSet rows = ps.executeQuery()) {
      rows.next();
      return rows.getObject(1, OffsetDateTime.class).toInstant();
    } catch (SQLException e) {
      throw new IllegalStateException("SELECT clock_timestamp(): " + e.getMessage(), e);
    }
  }

  /**
   * An instant of the database's clock strictly after every time it stamped on what was done before
   * this call, and strictly before every time it stamps on what is done after it returns: a cut
   * (a removal's time) that no row sits on. It reads the clock until it has moved, rather than sleep.
   */
  public static Instant separatingInstant() {
    Instant separating = clockAfter(clock());
    clockAfter(separating);
    return separating;
  }

  private static Instant clockAfter(Instant instant) {
    Instant now = clock();
    while (!now.isAfter(instant)) {
      now = clock();
    }
    return now;
  }

  static PreparedStatement prepare(Connection conn, String statement, Object... params) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(statement);
    try {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
