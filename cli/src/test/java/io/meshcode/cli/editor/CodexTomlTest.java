package io.meshcode.cli.editor;

import io.meshcode.platform.Os;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.Environment;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/** What Codex is given: {@code -c path=value} overrides whose values a TOML parser reads back as they were. */
@DisplayName("Codex's TOML overrides")
class CodexTomlTest {

  private static final TomlMapper TOML = new TomlMapper();

  /** Every control character, quotes, backslashes, a newline pair, and characters beyond ASCII. */
  private static final String HOSTILE;

  static {
    StringBuilder text = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      text.append(c);
    }
    HOSTILE = text.append("\u007F \"quoted\" 'single' \\back\\slash\\ \\u0041 \\n \r\n é 日本語 😀 \u2028 ${HOME} #x = 1").toString();
  }

  @TempDir
  Path root;

  private static JsonNode read(String toml) {
    return TOML.readTree(toml);
  }

  @Test
  @DisplayName("a string is one TOML basic string: control characters, quotes, backslashes, newlines and unicode read back the same")
  void stringsReadBack() {
    for (String value : List.of(HOSTILE, "", "plain", "\\", "\"", "\n", "\u0000", "\u007F", "é😀", "\"\"\"")) {
      String toml = McpConfigs.toml(value);
      assertThat(toml.chars().filter(c -> c < 0x20 || c == 0x7F)).as("no raw control character in %s", toml).isEmpty();
      assertThat(read("v = " + toml).get("v").asString()).isEqualTo(value);
    }
    assertThat(McpConfigs.toml("a\"b\\c\nd\u0001\u007Fé")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\\u007Fé\"");
  }

  @Test
  @DisplayName("a key is bare when TOML allows it, else quoted by the same rule")
  void keys() {
    assertThat(McpConfigs.tomlKey("MESHCODE_SERVER")).isEqualTo("MESHCODE_SERVER");
    for (String key : List.of("MY VAR", "a.b", "x=y", "é", HOSTILE)) {
      assertThat(read(McpConfigs.tomlKey(key) + " = 1").get(key).asInt()).as(key).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("the overrides of a workspace's entry read back as its command, arguments and environment")
  void overridesReadBack() throws IOException {
    Environment env = new Environment(Map.of("MESHCODE_HOME", root.toString()), root.resolve("home"), root, Os.LINUX, false);
    Workspace workspace = Workspace.of(env, "demo", "backend");
    String server = "https://mesh.example.com/a\"b";
    JsonMap entry = JsonMap.of("command", "C:\\Program Files\\meshcode\\bin\\meshcode \"x\"",
        "args", List.of("mcp", HOSTILE, "--agent", "backend"), "env", JsonMap.of("MESHCODE_SERVER", server, "ODD KEY.x", HOSTILE));
    Path config = workspace.dir().resolve(Editor.CODEX.workspaceConfig());
    Files.createDirectories(config.getParent());
    Files.writeString(config, Json.pretty(JsonMap.of("mcpServers", JsonMap.of("meshcode", entry))));

    List<String> args = new McpConfigs(env).codexOverrides(workspace, "https://unused.example.com");

    StringBuilder document = new StringBuilder();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      assertThat(args.get(i)).isEqualTo("-c");
      String override = args.get(i + 1);
      int equals = override.indexOf('=');
      paths.add(override.substring(0, equals));
      document.append(override, 0, equals).append(" = ").append(override.substring(equals + 1)).append('\n');
    }
    assertThat(paths).containsExactly("mcp_servers.meshcode.command", "mcp_servers.meshcode.args", "mcp_servers.meshcode.env");
    JsonNode read = read(document.toString()).get("mcp_servers").get("meshcode");
    assertThat(read.get("command").asString()).isEqualTo(entry.string("command"));
    List<String> readArgs = new ArrayList<>();
    read.get("args").forEach(arg -> readArgs.add(arg.asString()));
    assertThat(readArgs).containsExactly("mcp", HOSTILE, "--agent", "backend");
    assertThat(read.get("env").get("MESHCODE_SERVER").asString()).isEqualTo(server);
    assertThat(read.get("env").get("ODD KEY.x").asString()).isEqualTo(HOSTILE);
  }
}
