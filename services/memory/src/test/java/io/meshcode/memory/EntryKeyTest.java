package io.meshcode.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.http.ApiException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Keys and UTF-8 sizes")
class EntryKeyTest {

  /** The message a key is refused with. */
  static String rejects(String key) {
    try {
      EntryKey.check(key);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.getMessage();
    }
    throw new AssertionError("accepted " + key);
  }

  @Test
  @DisplayName("a key is 1-200 characters (counted as Unicode characters), not blank, no control characters, not '.' or '..'")
  void keys() {
    assertThat(EntryKey.check("a")).isEqualTo("a");
    assertThat(EntryKey.check("x".repeat(200))).hasSize(200);
    assertThat(EntryKey.check("🚀".repeat(200))).hasSize(400);
    assertThat(EntryKey.check("a/b c.d")).isEqualTo("a/b c.d");
    assertThat(EntryKey.check("...")).isEqualTo("...");
    assertThat(rejects("")).isEqualTo("'key' must not be empty");
    assertThat(rejects("x".repeat(201))).isEqualTo("'key' must be at most 200 characters");
    assertThat(rejects(" \t")).isEqualTo("'key' must not be blank");
    assertThat(rejects("a\u0085b")).isEqualTo("'key' must not contain control characters");
    assertThat(rejects("a\u007fb")).isEqualTo("'key' must not contain control characters");
    assertThat(rejects("a\ud800b")).isEqualTo("'key' is not valid Unicode (it holds a lone surrogate)");
    assertThat(rejects(".")).isEqualTo("'key' must not be '.' or '..'");
    assertThat(rejects("..")).isEqualTo("'key' must not be '.' or '..'");
  }

  @Test
  @DisplayName("sizes count UTF-8 bytes; a preview is cut between characters")
  void utf8() {
    assertThat(Utf8.size("aé€🚀", "value")).isEqualTo(1 + 2 + 3 + 4);
    assertThat(Utf8.prefix("aé€🚀", 6)).isEqualTo("aé€");
    assertThat(Utf8.prefix("aé€🚀", 9)).isEqualTo("aé€");
    assertThat(Utf8.prefix("aé€🚀", 10)).isEqualTo("aé€🚀");
    assertThat(Utf8.prefix("éé", 3)).isEqualTo("é");
    assertThatThrownBy(() -> Utf8.size("\udc00", "value")).hasMessageContaining("lone surrogate");
  }
}
