package io.meshcode.cli.editor;

import io.meshcode.platform.Os;
import io.meshcode.cli.Environment;
import io.meshcode.cli.api.JsonMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an editor's MCP config for one agent: an entry that runs {@code meshcode mcp --project
 * <p> --agent <a>} with {@code MESHCODE_SERVER} in its environment. The key is never written:
 * {@code meshcode mcp} finds it in the keychain as every verb does. Files are merged, keeping
 * whatever else they hold; Claude Desktop's global file is backed up before each change.
 * Claude Code also gets a Stop hook that keeps the agent in its wait loop while it has unread
 * messages.
 */
public final class McpConfigs {

  public static final String SERVER_NAME = "meshcode";

  private final Environment env;

  public McpConfigs(Environment env) {
    this.env = env;
  }

  /**
   * The command editors run: the installed launcher's absolute path (it exports
   * {@code MESHCODE_LAUNCHER}), else {@code meshcode} as found on the PATH, else plain
   * {@code meshcode}. Editors started from a desktop often have a shorter PATH than a terminal.
   */
  public String meshcodeCommand() {
    return env.get("MESHCODE_LAUNCHER")
        .or(() -> env.findExecutable("meshcode").map(Path::toString))
        .orElse("meshcode");
  }

  /** The config file an editor reads for this workspace. */
  public Path configFile(Workspace workspace, Editor editor) {
    return editor == Editor.CLAUDE_DESKTOP ? claudeDesktopConfig() : workspace.dir().resolve(editor.workspaceConfig());
  }

  /** The name of this agent's entry: {@code meshcode} in a workspace, {@code meshcode-<p>-<a>} in Claude Desktop's one file. */
  public static String entryName(Workspace workspace, Editor editor) {
    return editor == Editor.CLAUDE_DESKTOP ? SERVER_NAME + "-" + workspace.project() + "-" + workspace.agent() : SERVER_NAME;
  }

  /** Writes the config (and Claude Code's hook); answers the files it wrote or found up to date. */
  public List<Path> write(Workspace workspace, Editor editor, String server) {
    List<Path> files = new ArrayList<>();
    Path config = configFile(workspace, editor);
    JsonMap entry = entry(workspace, editor, server);
    JsonFiles.update(config, editor == Editor.CLAUDE_DESKTOP, json -> json.child(editor.serversField())
        .put(entryName(workspace, editor), entry));
    files.add(config);
    if (editor == Editor.CLAUDE_CODE) {
      files.add(writeClaudeCodeSettings(workspace, server));
    }
    return files;
  }

  JsonMap entry(Workspace workspace, Editor editor, String server) {
    JsonMap entry = new JsonMap();
    if (editor == Editor.VSCODE) {
      entry.put("type", "stdio");
    }
    List<String> args = new ArrayList<>(List.of("mcp", "--project", workspace.project(), "--agent", workspace.agent(), "--client", editor.id()));
    String command = meshcodeCommand();
    if (isWindowsBatch(command)) {
      // Node-based editors refuse to start a .cmd or .bat themselves (since Node's fix of CVE-2024-27980): cmd.exe runs it.
      args.addAll(0, List.of("/c", command));
      command = "cmd";
    }
    return entry.put("command", command).put("args", args).put("env", JsonMap.of("MESHCODE_SERVER", server));
  }

  /** Whether {@code command} is a batch file, which only cmd.exe runs (on Windows, where launchers are {@code meshcode.cmd}). */
  private boolean isWindowsBatch(String command) {
    String lower = command.toLowerCase(java.util.Locale.ROOT);
    return env.os() == Os.WINDOWS && (lower.endsWith(".cmd") || lower.endsWith(".bat"));
  }

  /** The Stop hook command, as Claude Code runs it in a shell. */
  public String hookCommand(Workspace workspace, String server) {
    return shellQuote(meshcodeCommand()) + " hook stop --project " + workspace.project() + " --agent " + workspace.agent()
        + " --server " + shellQuote(server);
  }

  private Path writeClaudeCodeSettings(Workspace workspace, String server) {
    Path settings = workspace.dir().resolve(".claude").resolve("settings.json");
    String command = hookCommand(workspace, server);
    JsonFiles.update(settings, false, json -> {
      List<Object> enabled = json.list("enabledMcpjsonServers");
      if (!enabled.contains(SERVER_NAME)) {
        enabled.add(SERVER_NAME);
      }
      // The agent's own tools need no approval each call: it is what the workspace is for.
      List<Object> allowed = json.child("permissions").list("allow");
      if (!allowed.contains("mcp__" + SERVER_NAME)) {
        allowed.add("mcp__" + SERVER_NAME);
      }
      List<Object> stop = json.child("hooks").list("Stop");
      stop.removeIf(McpConfigs::isOurHook);
      stop.add(JsonMap.of("hooks", List.of(JsonMap.of("type", "command", "command", command, "timeout", 30))));
    });
    return settings;
  }

  private static boolean isOurHook(Object group) {
    return group instanceof JsonMap map && map.objects("hooks").stream()
        .anyMatch(hook -> hook.string("command", "").contains(" hook stop --project "));
  }

  /** Claude Desktop's one global config file. */
  public Path claudeDesktopConfig() {
    return claudeDesktopFolder().resolve("claude_desktop_config.json");
  }

  Path claudeDesktopFolder() {
    return switch (env.os()) {
      case MAC -> env.home().resolve("Library/Application Support/Claude");
      case WINDOWS -> env.get("APPDATA").map(Path::of).orElse(env.home().resolve("AppData/Roaming")).resolve("Claude");
      default -> env.get("XDG_CONFIG_HOME").map(Path::of).orElse(env.home().resolve(".config")).resolve("Claude");
    };
  }

  /** Codex reads no JSON: the entry becomes {@code -c} overrides of its TOML config. */
  List<String> codexOverrides(Workspace workspace, String server) {
    JsonMap entry = JsonFiles.read(workspace.dir().resolve(Editor.CODEX.workspaceConfig()))
        .object(Editor.CODEX.serversField()).object(SERVER_NAME);
    if (!entry.has("command")) {
      entry = entry(workspace, Editor.CODEX, server);
    }
    String prefix = "mcp_servers." + SERVER_NAME + ".";
    List<String> args = new ArrayList<>();
    args.add("-c");
    args.add(prefix + "command=" + toml(entry.string("command")));
    args.add("-c");
    List<?> given = entry.get("args") instanceof List<?> list ? list : List.of();
    args.add(prefix + "args=[" + String.join(", ", given.stream().map(a -> toml(String.valueOf(a))).toList()) + "]");
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, Object> variable : entry.object("env").asMap().entrySet()) {
      pairs.add(tomlKey(variable.getKey()) + " = " + toml(String.valueOf(variable.getValue())));
    }
    args.add("-c");
    args.add(prefix + "env={" + String.join(", ", pairs) + "}");
    return args;
  }

  /**
   * A TOML basic string (TOML 1.0): the quote, the backslash and every control character (U+0000 to
   * U+001F and U+007F) escaped, by their short escape where TOML has one, else as \\uXXXX; every other
   * character as it is, since TOML is UTF-8. The one rule for every value Codex is given.
   */
  static String toml(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A TOML key: bare when TOML allows it ({@code A-Za-z0-9_-}), else quoted by {@link #toml}. */
  static String tomlKey(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : toml(key);
  }

  private static String shellQuote(String value) {
    return value.matches("[A-Za-z0-9_@%+=:,./-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
