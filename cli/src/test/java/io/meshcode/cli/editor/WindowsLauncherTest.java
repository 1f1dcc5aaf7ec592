package io.meshcode.cli.editor;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.Environment;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.platform.Os;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an editor is told to start the MCP server on Windows, where the launcher is a batch file. */
@DisplayName("Editor configs on Windows")
class WindowsLauncherTest {

  @TempDir
  Path root;

  private Environment windows(Map<String, String> variables) {
    return new Environment(variables, root.resolve("home"), root, Os.WINDOWS, false);
  }

  @Test
  @DisplayName("has editors start the meshcode.cmd launcher through cmd /c: Node-based editors refuse a .cmd of their own")
  void batchLauncher() {
    String launcher = "C:\\Users\\Ada Lovelace\\AppData\\Local\\meshcode\\bin\\meshcode.cmd";
    Workspace workspace = Workspace.of(windows(Map.of()), "shop", "frontend");
    for (Editor editor : Editor.values()) {
      JsonMap entry = new McpConfigs(windows(Map.of("MESHCODE_LAUNCHER", launcher))).entry(workspace, editor, "http://mesh:8080");
      assertThat(entry.string("command", null)).as(editor.id()).isEqualTo("cmd");
      assertThat(entry.list("args")).as(editor.id())
          .containsExactly("/c", launcher, "mcp", "--project", "shop", "--agent", "frontend", "--client", editor.id());
    }
    String exe = "C:\\tools\\meshcode.exe";
    JsonMap direct = new McpConfigs(windows(Map.of("MESHCODE_LAUNCHER", exe))).entry(workspace, Editor.CURSOR, "http://mesh:8080");
    assertThat(direct.string("command", null)).as("a program is started as it is").isEqualTo(exe);
    JsonMap linux = new McpConfigs(new Environment(Map.of("MESHCODE_LAUNCHER", "/opt/x/meshcode.cmd"), root, root, Os.LINUX, false))
        .entry(workspace, Editor.CURSOR, "http://mesh:8080");
    assertThat(linux.string("command", null)).as("only Windows has batch files").isEqualTo("/opt/x/meshcode.cmd");
  }

}
