package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tool arguments")
class ArgsTest {

  private static Args args(Map<String, Object> values, String... allowed) {
    return Args.of("meshcode_test", values, List.of(allowed));
  }

  @Test
  @DisplayName("an unknown argument is refused, naming the ones the tool takes")
  void unknown() {
    assertThatThrownBy(() -> args(Map.of("text", "hi"), "to", "message"))
        .isInstanceOf(ToolError.class)
        .hasMessage("unknown argument 'text': meshcode_test takes to, message");
  }

  @Test
  @DisplayName("a missing or blank required string is named")
  void required() {
    assertThatThrownBy(() -> args(Map.of(), "message").requiredString("message", 10)).hasMessage("'message' is required");
    assertThatThrownBy(() -> args(Map.of("message", " "), "message").requiredString("message", 10)).hasMessage("'message' is required");
    assertThatThrownBy(() -> args(Map.of("message", 5), "message").requiredString("message", 10)).hasMessage("'message' must be a string");
  }

  @Test
  @DisplayName("whole numbers come as numbers or numeric strings, within their range")
  void integers() {
    assertThat(args(Map.of("n", 5), "n").optionalInt("n", 0, 50)).isEqualTo(5);
    assertThat(args(Map.of("n", 5.0), "n").optionalInt("n", 0, 50)).isEqualTo(5);
    assertThat(args(Map.of("n", " 7 "), "n").optionalInt("n", 0, 50)).isEqualTo(7);
    assertThat(args(Map.of(), "n").optionalInt("n", 0, 50)).isNull();
    assertThatThrownBy(() -> args(Map.of("n", 51), "n").optionalInt("n", 0, 50)).hasMessage("'n' must be a whole number from 0 to 50");
    assertThatThrownBy(() -> args(Map.of("n", 1.5), "n").optionalInt("n", 0, 50)).hasMessage("'n' must be a whole number from 0 to 50");
    assertThatThrownBy(() -> args(Map.of("n", "soon"), "n").optionalInt("n", 0, 50)).hasMessage("'n' must be a whole number from 0 to 50");
  }

  @Test
  @DisplayName("a list is an array, one string, or comma-separated names")
  void lists() {
    assertThat(args(Map.of("to", List.of("a", "b")), "to").requiredList("to", true, 10, 81)).containsExactly("a", "b");
    assertThat(args(Map.of("to", "a, b"), "to").requiredList("to", true, 10, 81)).containsExactly("a", "b");
    assertThat(args(Map.of("p", "src/a,b.txt"), "p").requiredList("p", false, 10, 81)).containsExactly("src/a,b.txt");
    assertThatThrownBy(() -> args(Map.of("to", List.of("a", 3)), "to").requiredList("to", true, 10, 81))
        .hasMessage("'to' must be a list of strings");
    assertThatThrownBy(() -> args(Map.of("to", List.of()), "to").requiredList("to", true, 10, 81))
        .hasMessage("'to' must not be empty or hold empty items");
  }

  @Test
  @DisplayName("a lone surrogate, a NUL or nesting past 32 levels is refused in any argument, however deep, before the gateway sees it")
  void textTheGatewayRefuses() {
    assertThatThrownBy(() -> args(Map.of("message", "a\ud800"), "message")).hasMessage("'message' holds a lone surrogate (\\ud800-\\udfff without its pair)");
    assertThatThrownBy(() -> args(Map.of("data", Map.of("k", List.of("\udc00"))), "data")).hasMessageContaining("'data' holds a lone surrogate");
    assertThatThrownBy(() -> args(Map.of("summary", "x\u0000y"), "summary")).hasMessage("'summary' holds a NUL character");
    Object deep = "x";
    for (int i = 0; i < 32; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThatThrownBy(() -> args(Map.of("data", tooDeep), "data")).hasMessage("'data' is nested deeper than 32 levels");
    assertThat(args(Map.of("message", "emoji \ud83d\ude00", "data", List.of(List.of("ok"))), "message", "data").has("message")).isTrue();
  }

  @Test
  @DisplayName("names and choices say what they must be")
  void namesAndChoices() {
    assertThatThrownBy(() -> args(Map.of("name", "Bad Name"), "name").requiredName("name"))
        .hasMessage("'name' must be a name: 1-40 lowercase letters, digits, '-' or '_'");
    assertThatThrownBy(() -> args(Map.of("kind", "shout"), "kind").optionalChoice("kind", List.of("message", "reply")))
        .hasMessage("'kind' must be one of message, reply");
  }
}
