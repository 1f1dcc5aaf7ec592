package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Suggestions")
class SuggestionsTest {

  @Test
  @DisplayName("offer the closest names first, within a few edits, and nothing far off")
  void closest() {
    List<String> projects = List.of("webshop", "webshop-admin", "billing", "docs");
    assertThat(Suggestions.closest("webshp", projects)).startsWith("webshop");
    assertThat(Suggestions.closest("biling", projects)).containsExactly("billing");
    assertThat(Suggestions.closest("admin", projects)).containsExactly("webshop-admin");
    assertThat(Suggestions.closest("zzzzzz", projects)).isEmpty();
    assertThat(Suggestions.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.levenshtein("lgoin", "login")).isEqualTo(1);
  }
}
