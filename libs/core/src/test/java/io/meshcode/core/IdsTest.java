package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Time-ordered ids")
class IdsTest {

  @Test
  @DisplayName("are version 7 UUIDs that sort in the order they were made, without repeats")
  void ordered() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ids.add(Ids.newUuid());
    }
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
    }
    assertThat(ids.get(0).version()).isEqualTo(7);
    assertThat(ids.get(0).variant()).isEqualTo(2);
  }

  @Test
  @DisplayName("carry the time they were made")
  void timestamp() {
    long before = System.currentTimeMillis();
    long stamped = Ids.timestampMillis(Ids.newUuid());
    assertThat(stamped).isBetween(before, System.currentTimeMillis() + 1000);
  }
}
