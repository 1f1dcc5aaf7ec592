package io.meshcode.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hash of every row of every table in the services' schemas, table by table, for a test that
 * must show a request changed nothing. What changes by itself (an outbox the relay empties, a
 * lease a sweep ends) is left out by the caller, who says why in {@link Exclusions}.
 */
public final class DatabaseFingerprint {

  /** The schemas the services keep their data in. */
  public static final List<String> SCHEMAS = List.of("gateway", "bus", "memory", "tasks", "invites");

  /**
   * What the fingerprint leaves out.
   *
   * @param tables whole tables ({@code schema.table}, or {@code *.table} in every schema)
   * @param columns columns by table ({@code schema.table} → names), for a value that moves on every use of a key
   * @param rows a SQL condition by table for rows left out (rows that a refused call adds by design)
   */
  public record Exclusions(List<String> tables, Map<String, List<String>> columns, Map<String, String> rows) {}

  private final Exclusions exclusions;

  public DatabaseFingerprint(Exclusions exclusions) {
    this.exclusions = exclusions;
  }

  /** Each table's hash, by {@code schema.table}, in name order. */
  public Map<String, String> take() {
    try (Connection conn = TestInfra.get().openJdbc()) {
      Map<String, String> hashes = new TreeMap<>();
      for (String table : tables(conn)) {
        if (excluded(table)) {
          continue;
        }
        try (PreparedStatement ps = conn.prepareStatement(hashQuery(table)); ResultSet rs = ps.executeQuery()) {
          rs.next();
          hashes.put(table, rs.getString(1));
        }
      }
      return hashes;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot fingerprint the database: " + e.getMessage(), e);
    }
  }

  /** The tables whose hash differs between two fingerprints (or that one lacks). */
  public static List<String> changed(Map<String, String> before, Map<String, String> after) {
    List<String> tables = new ArrayList<>();
    for (String table : after.keySet()) {
      if (!after.get(table).equals(before.get(table))) {
        tables.add(table);
      }
    }
    before.keySet().stream().filter(table -> !after.containsKey(table)).forEach(tables::add);
    return tables;
  }

  /** Takes fingerprints {@code pauseMs} apart until two agree (what earlier requests set off has landed); answers it. */
  public Map<String, String> settled(long pauseMs, int attempts) {
    Map<String, String> last = take();
    for (int i = 0; i < attempts; i++) {
      sleep(pauseMs);
      Map<String, String> next = take();
      if (next.equals(last)) {
        return next;
      }
      last = next;
    }
    throw new IllegalStateException("the database did not settle: " + changed(last, take()) + " keep changing");
  }

  private boolean excluded(String table) {
    String name = table.substring(table.indexOf('.') + 1);
    return exclusions.tables().contains(table) || exclusions.tables().contains("*." + name);
  }

  private List<String> tables(Connection conn) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("""
        SELECT table_schema || '.' || table_name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema = ANY (?) ORDER BY 1
        """)) {
      ps.setArray(1, conn.createArrayOf("text", SCHEMAS.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    return tables;
  }

  /** The names come from information_schema and the test's own constants, never from a request. */
  private String hashQuery(String table) {
    List<String> columns = exclusions.columns().getOrDefault(table, List.of());
    String row = columns.isEmpty() ? "to_jsonb(t)::text"
        : "(to_jsonb(t) - ARRAY['" + String.join("','", columns) + "'])::text";
    String where = exclusions.rows().containsKey(table) ? " WHERE NOT (" + exclusions.rows().get(table) + ")" : "";
    String[] parts = table.split("\\.");
    return "SELECT count(*) || ':' || coalesce(md5(string_agg(md5(" + row + "), ',' ORDER BY md5(" + row + "))), '')"
        + " FROM \"" + parts[0] + "\".\"" + parts[1] + "\" t" + where;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
