package io.meshcode.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CLI's JSON reader and writer")
class JsonTest {

  @Test
  @DisplayName("reads what the gateway answers and writes it back the same")
  void roundTrip() {
    String text = "{\"a\":[1,-2.5,true,false,null,{\"b\":\"c\\\"\\n\\u00e9\\ud83d\\ude00\"}],\"big\":12345678901234567890,\"e\":1e3}";
    JsonMap map = Json.parseObject(text);
    assertThat(map.get("a")).isInstanceOf(List.class);
    assertThat(((List<?>) map.get("a")).get(0)).isEqualTo(1L);
    assertThat(map.get("big")).isEqualTo(new BigDecimal("12345678901234567890"));
    assertThat(map.objects("a").get(0).string("b")).isEqualTo("c\"\né😀");
    assertThat(Json.parse(Json.write(map)).toString()).isEqualTo(map.toString());
    assertThat(Json.pretty(JsonMap.of("x", List.of(), "y", new JsonMap()))).isEqualTo("{\n  \"x\": [],\n  \"y\": {}\n}");
  }

  @Test
  @DisplayName("refuses what is not JSON, saying where")
  void refuses() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("character 8");
    assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ','");
    assertThatThrownBy(() -> Json.parse("hello")).hasMessageContaining("unexpected character 'h'");
    assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("after the value");
  }
}
