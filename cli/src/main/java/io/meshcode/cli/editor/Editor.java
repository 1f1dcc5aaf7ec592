package io.meshcode.cli.editor;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The editors an agent can run in, with where each reads its MCP servers (docs/CLI.md and the
 * design contract's "Editors" section).
 *
 * @param id what {@code MESHCODE_EDITOR} and {@code --editor} take
 * @param executable the command on the PATH that starts it (Claude Desktop has none)
 * @param workspaceConfig the MCP config file inside the agent's workspace (Claude Desktop: its global file)
 * @param serversField the JSON field the servers go under
 */
public enum Editor {
  CLAUDE_CODE("claude-code", "Claude Code", "claude", ".mcp.json", "mcpServers", List.of("claude", "claudecode")),
  CURSOR("cursor", "Cursor", "cursor", ".cursor/mcp.json", "mcpServers", List.of()),
  VSCODE("vscode", "VS Code + Cline", "code", ".vscode/mcp.json", "servers", List.of("code", "cline", "vs-code")),
  WINDSURF("windsurf", "Windsurf", "windsurf", ".windsurf/mcp.json", "mcpServers", List.of()),
  CODEX("codex", "Codex", "codex", ".meshcode.json", "mcpServers", List.of()),
  CLAUDE_DESKTOP("claude-desktop", "Claude Desktop", null, null, "mcpServers", List.of("desktop", "claude_desktop"));

  private final String id;
  private final String displayName;
  private final String executable;
  private final String workspaceConfig;
  private final String serversField;
  private final List<String> aliases;

  Editor(String id, String displayName, String executable, String workspaceConfig, String serversField, List<String> aliases) {
    this.id = id;
    this.displayName = displayName;
    this.executable = executable;
    this.workspaceConfig = workspaceConfig;
    this.serversField = serversField;
    this.aliases = aliases;
  }

  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  /** The command that starts it, or null for Claude Desktop. */
  public String executable() {
    return executable;
  }

  public String workspaceConfig() {
    return workspaceConfig;
  }

  public String serversField() {
    return serversField;
  }

  /** Claude Code and Codex run in the terminal; the others open a window. */
  public boolean runsInTerminal() {
    return this == CLAUDE_CODE || this == CODEX;
  }

  public static Optional<Editor> byName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (Editor editor : values()) {
      if (editor.id.equals(wanted) || editor.aliases.contains(wanted)) {
        return Optional.of(editor);
      }
    }
    return Optional.empty();
  }

  public static String ids() {
    return String.join(", ", java.util.Arrays.stream(values()).map(Editor::id).toList());
  }
}
