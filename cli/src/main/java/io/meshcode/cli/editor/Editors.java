package io.meshcode.cli.editor;

import io.meshcode.cli.CliException;
import io.meshcode.cli.Environment;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Processes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the editor to use and starts it on a workspace. */
public final class Editors {

  private final Environment env;
  private final McpConfigs configs;

  public Editors(Environment env, McpConfigs configs) {
    this.env = env;
    this.configs = configs;
  }

  /** An editor named by {@code --editor} or {@code MESHCODE_EDITOR}, if any. */
  public Optional<Editor> forced(String option) {
    String name = option != null ? option : env.get("MESHCODE_EDITOR").orElse(null);
    if (name == null) {
      return Optional.empty();
    }
    return Optional.of(Editor.byName(name).orElseThrow(() -> CliException.usage(
        "unknown editor '" + name + "'" + (option != null ? "" : " in MESHCODE_EDITOR") + ": expected one of " + Editor.ids())));
  }

  public boolean installed(Editor editor) {
    return editor == Editor.CLAUDE_DESKTOP
        ? Files.isDirectory(configs.claudeDesktopConfig().getParent())
        : env.findExecutable(editor.executable()).isPresent();
  }

  /**
   * The editor to use: the one forced, else the one the workspace was set up for (if still
   * installed), else the first installed of Claude Code, Cursor, VS Code, Windsurf, Codex,
   * Claude Desktop.
   *
   * @param mustBeInstalled whether a forced editor must be found too (to launch it, not just to write its config)
   */
  public Editor choose(String option, String remembered, boolean mustBeInstalled) {
    Optional<Editor> forced = forced(option);
    if (forced.isPresent()) {
      if (mustBeInstalled && !installed(forced.get())) {
        throw new CliException(ExitCode.NO_EDITOR, "editor not found: " + forced.get().displayName() + " was chosen ("
            + (option != null ? "--editor " + option : "MESHCODE_EDITOR") + ") but " + lookedFor(forced.get())
            + " is not there; install it, or choose another");
      }
      return forced.get();
    }
    Optional<Editor> previous = Optional.ofNullable(remembered).flatMap(Editor::byName).filter(this::installed);
    if (previous.isPresent()) {
      return previous.get();
    }
    for (Editor editor : Editor.values()) {
      if (installed(editor)) {
        return editor;
      }
    }
    List<String> looked = new ArrayList<>();
    for (Editor editor : Editor.values()) {
      looked.add(lookedFor(editor) + " (" + editor.displayName() + ")");
    }
    throw new CliException(ExitCode.NO_EDITOR, "editor not found: looked for " + String.join(", ", looked)
        + "; install one, or name it with --editor or MESHCODE_EDITOR (" + Editor.ids() + ")");
  }

  private String lookedFor(Editor editor) {
    return editor == Editor.CLAUDE_DESKTOP
        ? "its config folder " + configs.claudeDesktopConfig().getParent()
        : "'" + editor.executable() + "' on the PATH";
  }

  /**
   * Starts {@code editor} on the workspace. Claude Code and Codex run in this terminal until they
   * exit, with {@code prompt} as their first message; the others open a window and return.
   */
  public int launch(Editor editor, Workspace workspace, String server, String prompt, boolean takeOver, PrintWriter out) {
    Map<String, String> extraEnv = new HashMap<>();
    extraEnv.put("MESHCODE_SERVER", server);
    if (takeOver) {
      extraEnv.put("MESHCODE_TAKE_OVER", "1");
    }
    List<String> command = new ArrayList<>();
    switch (editor) {
      case CLAUDE_CODE -> {
        command.add(executable(editor));
        command.add("--mcp-config");
        command.add(editor.workspaceConfig());
        command.add(prompt);
      }
      case CODEX -> {
        command.add(executable(editor));
        command.addAll(configs.codexOverrides(workspace, server));
        command.add(prompt);
      }
      case CLAUDE_DESKTOP -> {
        Optional<List<String>> opener = claudeDesktopOpener();
        if (opener.isEmpty()) {
          out.println("Restart Claude Desktop so it loads the agent's server (" + McpConfigs.entryName(workspace, editor) + ").");
          return ExitCode.OK;
        }
        command.addAll(opener.get());
        out.println("If Claude Desktop was already open, quit and reopen it so it loads the new server.");
      }
      default -> {
        command.add(executable(editor));
        command.add(workspace.dir().toString());
      }
    }
    try {
      out.flush();
      int exit = Processes.runInTerminal(env, command, workspace.dir(), extraEnv);
      if (exit != 0 && !editor.runsInTerminal()) {
        throw new CliException(ExitCode.NO_EDITOR, editor.displayName() + " failed to start: " + command.get(0) + " exited with " + exit
            + "; run it yourself to see why, or choose another with --editor");
      }
      return ExitCode.OK;
    } catch (IOException e) {
      throw new CliException(ExitCode.NO_EDITOR, editor.displayName() + " failed to start: " + e.getMessage()
          + "; check that it runs, or choose another with --editor");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    }
  }

  private String executable(Editor editor) {
    return env.findExecutable(editor.executable()).map(Path::toString).orElseThrow(() -> new CliException(ExitCode.NO_EDITOR,
        "editor not found: '" + editor.executable() + "' (" + editor.displayName() + ") is not on the PATH; install it, or choose another with --editor"));
  }

  private Optional<List<String>> claudeDesktopOpener() {
    return switch (env.os()) {
      case MAC -> Optional.of(List.of("open", "-a", "Claude"));
      default -> env.findExecutable("claude-desktop").map(path -> List.of(path.toString()));
    };
  }
}
