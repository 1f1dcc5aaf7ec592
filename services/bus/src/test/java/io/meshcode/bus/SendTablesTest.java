package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The layout of the tables every send writes. Their cost is measured by bench/messaging and
 * pgbench (docs/PERFORMANCE.md); these keep the settings from getting lost or growing back.
 */
@DisplayName("The tables a send writes")
class SendTablesTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  /**
   * A delivery is written once: its state follows from the inbox's cursors (V11), so its pages
   * keep no room for updates (V5 left 30 % free for the two it used to have).
   */
  @Test
  @DisplayName("deliveries fill their pages: their rows are never updated")
  void fullPages() {
    String options = TestServices.await(schema.pool()
            .query("SELECT array_to_string(reloptions, ',') AS options FROM pg_class WHERE oid = 'deliveries'::regclass").execute())
        .iterator().next().getString("options");
    assertThat(options).isEqualTo("fillfactor=100");
  }

  /**
   * Every index entry and every foreign-key check is a share of each send's cost. An index here
   * must be one a statement reads by (GenericPlansTest) or one that keeps an entry once.
   */
  @Test
  @DisplayName("have only the indexes their statements read by, and no foreign-key checks")
  void onlyIndexesThatAreRead() {
    Map<String, TreeSet<String>> indexes = new TreeMap<>();
    TestServices.await(schema.pool().query("""
            SELECT tablename, indexname FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename IN ('messages', 'deliveries', 'event_log', 'outbox')
            """).execute())
        .forEach(row -> indexes.computeIfAbsent(row.getString("tablename"), t -> new TreeSet<>()).add(row.getString("indexname")));
    assertThat(indexes).isEqualTo(Map.of(
        "messages", new TreeSet<>(List.of("messages_pkey")),
        "deliveries", new TreeSet<>(List.of("deliveries_pkey")),
        "event_log", new TreeSet<>(List.of("event_log_pkey", "event_log_meshwork_id_id_key", "event_log_by_type")),
        "outbox", new TreeSet<>(List.of("outbox_pkey"))));

    long foreignKeys = TestServices.await(schema.pool().query("""
            SELECT count(*) AS n FROM pg_constraint
             WHERE contype = 'f' AND conrelid IN ('messages'::regclass, 'deliveries'::regclass, 'event_log'::regclass, 'outbox'::regclass)
            """).execute())
        .iterator().next().getLong("n");
    assertThat(foreignKeys).isZero();
  }
}
