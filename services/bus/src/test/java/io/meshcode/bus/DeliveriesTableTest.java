package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A delivery is updated twice after its insert (delivered, then read). Room left on each page
 * keeps those updates beside the row (HOT: no new index entries); the effect is measured by
 * bench/messaging (docs/PERFORMANCE.md), this only keeps the setting from getting lost.
 */
@DisplayName("The deliveries table")
class DeliveriesTableTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  @Test
  @DisplayName("leaves 30 % of each page free for the updates of its rows")
  void roomForUpdates() {
    String options = TestServices.await(schema.pool()
            .query("SELECT array_to_string(reloptions, ',') AS options FROM pg_class WHERE oid = 'deliveries'::regclass").execute())
        .iterator().next().getString("options");
    assertThat(options).isEqualTo("fillfactor=70");
  }
}
