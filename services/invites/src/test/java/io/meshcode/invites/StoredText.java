package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads every cell of every table in a schema as text, to prove what is not stored there. */
final class StoredText {

  /** A whole key of any secret kind: a prefix and a long base62 body (a display prefix is far shorter). */
  private static final Pattern WHOLE_SECRET = Pattern.compile("mc_(inv|sk|spec)_[0-9A-Za-z]{32,}");

  private StoredText() {}

  static void assertNoSecrets(String schema, List<String> secrets) throws SQLException {
    try (Connection conn = TestInfra.get().openJdbc()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows = conn.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          tables.add(rows.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).contains("invites", "members", "spectator_links", "outbox");
      long cells = 0;
      for (String table : tables) {
        try (Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + schema + ".\"" + table + "\"")) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rows.getObject(i);
              String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value);
              assertThat(WHOLE_SECRET.matcher(text).find()).as(table + " column " + i + ": " + text).isFalse();
              for (String secret : secrets) {
                assertThat(text).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
              }
              cells++;
            }
          }
        }
      }
      assertThat(cells).isPositive();
    }
  }
}
