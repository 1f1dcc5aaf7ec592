package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MCP server options")
class McpOptionsTest {

  @Test
  @DisplayName("come from the command line, falling back to the environment")
  void argsAndEnvironment() {
    McpOptions options = McpOptions.parse(new String[] {"--project", "shop", "--agent=backend", "--take-over"},
        Map.of("MESHCODE_API_KEY", "mc_x", "MESHCODE_AGENT", "ignored", "MESHCODE_EDITOR", "cursor"));
    assertThat(options.project()).isEqualTo("shop");
    assertThat(options.agent()).isEqualTo("backend");
    assertThat(options.server()).hasToString(McpOptions.DEFAULT_SERVER);
    assertThat(options.takeOver()).isTrue();
    assertThat(options.client()).isEqualTo("cursor");
    assertThat(options.progressInterval()).isEqualTo(Duration.ofSeconds(10));

    McpOptions fromEnv = McpOptions.parse(new String[0], Map.of("MESHCODE_API_KEY", "mc_x", "MESHCODE_PROJECT", "shop",
        "MESHCODE_AGENT", "qa", "MESHCODE_SERVER", "https://mesh.example.com/", "MESHCODE_MCP_PROGRESS_SECONDS", "0.5"));
    assertThat(fromEnv.agent()).isEqualTo("qa");
    assertThat(fromEnv.server()).hasToString("https://mesh.example.com");
    assertThat(fromEnv.client()).isEqualTo("mcp");
    assertThat(fromEnv.progressInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("say what is missing or wrong")
  void errors() {
    assertThatThrownBy(() -> McpOptions.parse(new String[] {"--agent", "a"}, Map.of("MESHCODE_API_KEY", "k")))
        .hasMessage("no project (--project or MESHCODE_PROJECT)");
    assertThatThrownBy(() -> McpOptions.parse(new String[] {"-p", "shop", "-a", "Backend"}, Map.of("MESHCODE_API_KEY", "k")))
        .hasMessageContaining("'Backend' is not a name");
    assertThatThrownBy(() -> McpOptions.parse(new String[] {"-p", "shop", "-a", "b"}, Map.of()))
        .hasMessageStartingWith("no API key");
    assertThatThrownBy(() -> McpOptions.parse(new String[] {"-p", "shop", "-a", "b", "--server", "ftp://x"}, Map.of("MESHCODE_API_KEY", "k")))
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> McpOptions.parse(new String[] {"--nope"}, Map.of())).hasMessage("unknown option '--nope'");
  }

  @Test
  @DisplayName("never show the key")
  void keyHidden() {
    McpOptions options = McpOptions.parse(new String[] {"-p", "shop", "-a", "b"}, Map.of("MESHCODE_API_KEY", "mc_secret"));
    assertThat(options.toString()).doesNotContain("mc_secret");
  }
}
