package io.meshcode.cli.editor;

import io.meshcode.platform.Os;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.cli.CliException;
import io.meshcode.cli.Environment;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The editors' config files as people have them: other servers, unknown fields, their own layout. */
@DisplayName("Editor config files")
class EditorConfigFilesTest {

  private static final String SERVER = "https://mesh.example.com";

  /** A config as an editor writes it (JSON.stringify with two spaces), the agent's entry in the middle as {@code @ENTRY@}. */
  private static final String CONFIG = """
      {
        "@SERVERS@": {
          "filesystem": {
            "command": "npx",
            "args": [
              "-y",
              "@modelcontextprotocol/server-filesystem",
              "/Users/zoë/Desktop/日本語 😀"
            ],
            "env": {
              "API_KEY": "sk-test-\\"quoted\\"\\\\back\\nline",
              "EMPTY": ""
            },
            "timeout": 1.0,
            "retries": 12345678901234567890123,
            "ratio": 2.50E+3,
            "disabled": false,
            "note": null
          },
          "@ENTRY@": {
            "command": "old-meshcode",
            "args": []
          },
          "github": {
            "url": "https://api.example.com/mcp/",
            "headers": {},
            "zeta": 1,
            "alpha": 2
          }
        },
        "globalShortcut": "Ctrl+Space",
        "unknownFutureField": {
          "nested": [
            1,
            -0,
            {
              "deep": []
            }
          ]
        }
      }
      """;

  @TempDir
  Path root;

  private Environment env() {
    return new Environment(Map.of("MESHCODE_LAUNCHER", "/opt/meshcode/bin/meshcode", "XDG_CONFIG_HOME", root.resolve("config").toString(),
        "MESHCODE_HOME", root.resolve("workspaces").toString()), root.resolve("home"), root, Os.LINUX, false);
  }

  private Workspace workspace() {
    return Workspace.of(env(), "demo", "backend");
  }

  private static String config(Editor editor, String entryName, String entry) {
    return CONFIG.replace("@SERVERS@", editor.serversField()).replace("\"@ENTRY@\": {\n      \"command\": \"old-meshcode\",\n      \"args\": []\n    }",
        "\"" + entryName + "\": " + entry);
  }

  /** The agent's entry as it must be written, at the indentation of a server in the file. */
  private static String newEntry(Editor editor) {
    return "{\n"
        + (editor == Editor.VSCODE ? "      \"type\": \"stdio\",\n" : "")
        + "      \"command\": \"/opt/meshcode/bin/meshcode\",\n"
        + "      \"args\": [\n        \"mcp\",\n        \"--project\",\n        \"demo\",\n        \"--agent\",\n        \"backend\",\n"
        + "        \"--client\",\n        \"" + editor.id() + "\"\n      ],\n"
        + "      \"env\": {\n        \"MESHCODE_SERVER\": \"" + SERVER + "\"\n      }\n    }";
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Editor.class)
  @DisplayName("change only the agent's entry: other servers, unknown fields, key order, unicode and numbers stay as written")
  void onlyTheEntryChanges(Editor editor) throws IOException {
    McpConfigs configs = new McpConfigs(env());
    Path file = configs.configFile(workspace(), editor);
    String name = McpConfigs.entryName(workspace(), editor);
    String before = config(editor, name, "{\n      \"command\": \"old-meshcode\",\n      \"args\": []\n    }");
    Files.createDirectories(file.getParent());
    Files.writeString(file, before);

    configs.write(workspace(), editor, SERVER);

    assertThat(Files.readString(file)).isEqualTo(config(editor, name, newEntry(editor)));
    assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".meshcode-backup"))).as("backup")
        .isEqualTo(editor == Editor.CLAUDE_DESKTOP);
    if (editor == Editor.CLAUDE_DESKTOP) {
      assertThat(file.resolveSibling(file.getFileName() + ".meshcode-backup")).hasContent(before);
    }
  }

  @Test
  @DisplayName("keep a file's tabs, CRLF line ends, byte-order mark and missing final newline")
  void keepsLayout() throws IOException {
    Path file = root.resolve("mcp.json");
    Files.writeString(file, "\uFEFF{\r\n\t\"servers\": {\r\n\t\t\"other\": {\r\n\t\t\t\"command\": \"x\"\r\n\t\t}\r\n\t}\r\n}");

    assertThat(JsonFiles.update(file, false, json -> json.child("servers").put("meshcode", JsonMap.of("command", "m")))).isTrue();

    assertThat(Files.readString(file)).isEqualTo("\uFEFF{\r\n\t\"servers\": {\r\n\t\t\"other\": {\r\n\t\t\t\"command\": \"x\"\r\n\t\t},"
        + "\r\n\t\t\"meshcode\": {\r\n\t\t\t\"command\": \"m\"\r\n\t\t}\r\n\t}\r\n}");
    assertThat(JsonFiles.update(file, false, json -> json.child("servers").put("meshcode", JsonMap.of("command", "m"))))
        .as("nothing to change: not written").isFalse();
  }

  @Test
  @DisplayName("keep a private file private and a symbolic link a link")
  void keepsPermissionsAndLinks() throws IOException {
    Path real = Files.createDirectories(root.resolve("dotfiles")).resolve("claude_desktop_config.json");
    Files.writeString(real, "{\"mcpServers\": {\"other\": {\"env\": {\"TOKEN\": \"secret\"}}}}\n");
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(root.resolve("config.json"), real);

    JsonFiles.update(link, true, json -> json.child("mcpServers").put("meshcode", JsonMap.of("command", "m")));

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.getPosixFilePermissions(real)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Json.parseObject(Files.readString(real)).object("mcpServers").asMap().keySet()).containsExactly("other", "meshcode");
  }

  static Stream<Object[]> hostileFiles() {
    return Stream.of(
        new Object[] {"a leading zero", "{\"mcpServers\": {\"a\": {\"timeout\": 01}}}".getBytes(StandardCharsets.UTF_8),
            "it is not valid JSON (line 1, column 35: invalid numeric value: Leading zeroes not allowed)"},
        new Object[] {"a bad escape", "{\"mcpServers\": {\"a\": \"\\u+041\"}}".getBytes(StandardCharsets.UTF_8),
            "it is not valid JSON (line 1, column 25: unexpected character '+': expected a hex-digit for character escape sequence)"},
        new Object[] {"a repeated key", "{\"mcpServers\": {}, \"mcpServers\": {\"a\": {}}}".getBytes(StandardCharsets.UTF_8),
            "it is not valid JSON (line 1, column 32: the key \"mcpServers\" appears twice)"},
        new Object[] {"a comment", "{\n  // mine\n  \"mcpServers\": {}\n}".getBytes(StandardCharsets.UTF_8),
            "it is not valid JSON (line 2, column 3: a comment, which JSON does not allow)"},
        new Object[] {"deep nesting", ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(StandardCharsets.UTF_8),
            "it is not valid JSON (nested deeper than " + Json.MAX_DEPTH + " levels)"},
        new Object[] {"an array", "[]".getBytes(StandardCharsets.UTF_8), "it holds an array where a JSON object belongs"},
        new Object[] {"bytes that are not UTF-8", new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'}, "it is not UTF-8 text"},
        new Object[] {"a huge file", ("{\"a\": \"" + "x".repeat((int) JsonFiles.MAX_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8),
            "it is larger than 4 MB, which no editor's config is"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFiles")
  @DisplayName("refuse a file that is not a JSON object in one sentence, and leave it as it was")
  void refusesHostileFiles(String what, byte[] content, String reason) throws IOException {
    Workspace workspace = workspace();
    McpConfigs configs = new McpConfigs(env());
    Path file = configs.configFile(workspace, Editor.CLAUDE_DESKTOP);
    Files.createDirectories(file.getParent());
    Files.write(file, content);

    assertThatThrownBy(() -> configs.write(workspace, Editor.CLAUDE_DESKTOP, SERVER)).isInstanceOf(CliException.class)
        .hasMessage("cannot update " + file + ": " + reason + "; fix or move it, then run this again");

    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(Path::getFileName).map(Path::toString).toList()).containsExactly(file.getFileName().toString());
    }
  }

  @Test
  @DisplayName("Claude Code's settings keep the user's permissions, hooks and unknown fields, with one Stop hook of ours")
  void claudeCodeSettings() throws IOException {
    Path settings = workspace().dir().resolve(".claude/settings.json");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, """
        {
          "model": "opus",
          "permissions": {
            "allow": [
              "Bash(ls:*)"
            ],
            "deny": []
          },
          "hooks": {
            "PreToolUse": [
              {
                "matcher": "Bash",
                "hooks": []
              }
            ]
          }
        }
        """);
    McpConfigs configs = new McpConfigs(env());

    configs.write(workspace(), Editor.CLAUDE_CODE, SERVER);
    configs.write(workspace(), Editor.CLAUDE_CODE, SERVER);

    JsonMap json = Json.parseObject(Files.readString(settings));
    assertThat(json.asMap().keySet()).containsExactly("model", "permissions", "hooks", "enabledMcpjsonServers");
    assertThat(json.object("permissions").list("allow")).containsExactly("Bash(ls:*)", "mcp__meshcode");
    assertThat(json.object("permissions").list("deny")).isEmpty();
    assertThat(json.object("hooks").asMap().keySet()).containsExactly("PreToolUse", "Stop");
    assertThat(json.object("hooks").objects("Stop")).hasSize(1);
    assertThat(json.object("hooks").objects("Stop").get(0).objects("hooks").get(0).string("command"))
        .isEqualTo(configs.hookCommand(workspace(), SERVER));
    assertThat(json.list("enabledMcpjsonServers")).isEqualTo(List.of("meshcode"));
  }
}
