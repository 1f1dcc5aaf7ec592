package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tool-call summaries for the replay log")
class ActivityLogTest {

  @Test
  @DisplayName("are compact JSON with long strings cut, at most 1000 characters")
  void summaries() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("to", List.of("a", "b"));
    args.put("message", "x".repeat(5000));
    String summary = ActivityLog.summary("meshcode_send", args);
    assertThat(summary).startsWith("{\"to\":[\"a\",\"b\"],\"message\":\"xxx").contains("…");
    assertThat(summary.length()).isLessThan(300);

    String done = ActivityLog.summary("meshcode_done", Map.of("summary", "y".repeat(700)));
    assertThat(done).contains("y".repeat(700));
    assertThat(ActivityLog.summary("meshcode_done", Map.of("summary", "z".repeat(3000)))).hasSize(ActivityLog.SUMMARY_MAX);
    assertThat(ActivityLog.summary("meshcode_status", Map.of())).isEqualTo("{}");
  }

  @Test
  @DisplayName("never cut an emoji in half, which would leave a lone surrogate the gateway refuses")
  void cutsWholeCharacters() {
    for (int at = 195; at < 202; at++) {
      String summary = ActivityLog.summary("meshcode_send", Map.of("message", "x".repeat(at) + "\ud83d\ude00".repeat(200)));
      for (int i = 0; i < summary.length(); i++) {
        char c = summary.charAt(i);
        boolean paired = Character.isHighSurrogate(c) ? i + 1 < summary.length() && Character.isLowSurrogate(summary.charAt(++i))
            : !Character.isLowSurrogate(c);
        assertThat(paired).as("character %d of %s", i, summary).isTrue();
      }
    }
  }
}
