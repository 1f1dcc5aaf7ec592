package io.meshcode.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The CLI's JSON reader and writer")
class JsonTest {

  @Test
  @DisplayName("reads what the gateway answers and writes it back the same, keys in order and numbers as written")
  void roundTrip() {
    String text = "{\"z\":[1,-2.5,true,false,null,{\"b\":\"c\\\"\\n\\u00e9\\ud83d\\ude00/\"}],\"big\":12345678901234567890,"
        + "\"e\":1e3,\"one\":1.0,\"minusZero\":-0,\"a\":{}}";
    JsonMap map = Json.parseObject(text);
    assertThat(map.asMap().keySet()).containsExactly("z", "big", "e", "one", "minusZero", "a");
    assertThat(((List<?>) map.get("z")).get(0)).isEqualTo(1L);
    assertThat(map.number("big", 0)).isEqualTo(new java.math.BigInteger("12345678901234567890").longValue());
    assertThat(map.objects("z").get(0).string("b")).isEqualTo("c\"\né😀/");
    assertThat(Json.write(map)).isEqualTo("{\"z\":[1,-2.5,true,false,null,{\"b\":\"c\\\"\\né😀/\"}],\"big\":12345678901234567890,"
        + "\"e\":1e3,\"one\":1.0,\"minusZero\":-0,\"a\":{}}");
    assertThat(Json.pretty(JsonMap.of("x", List.of(), "y", new JsonMap()))).isEqualTo("{\n  \"x\": [],\n  \"y\": {}\n}");
    assertThat(Json.pretty(JsonMap.of("x", List.of(1, JsonMap.of("y", "\u0001\t")), "z", 2L), "\t", "\r\n"))
        .isEqualTo("{\r\n\t\"x\": [\r\n\t\t1,\r\n\t\t{\r\n\t\t\t\"y\": \"\\u0001\\t\"\r\n\t\t}\r\n\t],\r\n\t\"z\": 2\r\n}");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("refuses what is not JSON and the old reader let through: leading zeros, bad escapes, stray characters, lone surrogates, repeated keys")
  @ValueSource(strings = {
      "01", "-01", "[00]", "1.", "\"\\u+041\"", "\"\\u-041\"", "{\"a\":1}\u000B", "{} \u001C", "\f{}", "[1]\u2028",
      "\"\\ud800\"", "\"x\\udc00\"", "{\"\\ud83d\":1}", "{\"a\":1,\"a\":2}", "{\"x\":{\"y\":1,\"y\":[]}}"})
  void refusesWhatTheOldReaderAccepted(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).matches("line 1, column \\d+: [^\\n(]+").doesNotContain("code", "`"));
  }

  @Test
  @DisplayName("says where and what, in a few plain words")
  void saysWhereAndWhat() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessage("line 1, column 11: the key \"a\" appears twice");
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessage("line 1, column 8: unexpected character '}': was expecting double-quote to start property name");
    assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessage("line 1, column 4: unexpected character '2': was expecting comma to separate Array entries");
    assertThatThrownBy(() -> Json.parse("hello")).hasMessage("line 1, column 1: unexpected text 'hello'");
    assertThatThrownBy(() -> Json.parse("{}\n x")).hasMessage("line 2, column 2: unexpected text 'x'");
    assertThatThrownBy(() -> Json.parse("[1] [2]")).hasMessage("line 1, column 5: more text after the value");
    assertThatThrownBy(() -> Json.parse("[1,]")).hasMessage("line 1, column 4: unexpected character ']': expected a valid value");
    assertThatThrownBy(() -> Json.parse("{\"a\":\"b")).hasMessage("line 1, column 8: the text ends before the value does");
    assertThatThrownBy(() -> Json.parse("\"a\u0001\"")).hasMessage("line 1, column 3: control character U+0001 in a string, where it must be escaped");
    assertThatThrownBy(() -> Json.parse("\"\\ud800\"")).hasMessage("line 1, column 1: half a surrogate pair, \\uD800, in a string");
    assertThatThrownBy(() -> Json.parse("NaN")).hasMessage("line 1, column 4: non-standard token 'NaN'");
    assertThatThrownBy(() -> Json.parse(" ")).hasMessage("there is no value");
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessage("expected an object, found an array");
  }

  @Test
  @DisplayName("reads " + Json.MAX_DEPTH + " levels of nesting and refuses more, without running out of stack")
  void nesting() {
    assertThat(Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
    assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)))
        .hasMessage("nested deeper than " + Json.MAX_DEPTH + " levels");
    // The old reader recursed once a level and died of a StackOverflowError here.
    assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(200_000))).hasMessage("nested deeper than " + Json.MAX_DEPTH + " levels");
  }

  @Test
  @DisplayName("writes unicode and slashes as they are and escapes every control character")
  void writesStrings() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    String text = controls + "\u007F\"\\/é日本😀";
    String written = Json.write(List.of(text));
    assertThat(written.chars().filter(c -> c < 0x20)).isEmpty();
    assertThat(written).contains("/é日本😀").contains("\\\"\\\\");
    assertThat(Json.parse(written)).isEqualTo(List.of(text));
  }
}
