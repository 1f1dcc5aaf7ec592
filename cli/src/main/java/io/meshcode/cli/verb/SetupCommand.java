package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.editor.Editor;
import io.meshcode.cli.editor.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "setup", mixinStandardHelpOptions = true,
    description = {
        "Creates an agent's workspace with its editor's MCP config.",
        "The workspace is ~/meshcode/<project>-<agent>/ ($MESHCODE_HOME moves the root). Claude "
            + "Desktop's config is its one global file, merged and backed up. For Claude Code it also installs "
            + "a Stop hook that keeps the agent in its wait loop while it has unread messages."})
public final class SetupCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<agent>")
  String agent;

  @Option(names = "--editor", paramLabel = "<editor>",
      description = "Write the config for this editor: claude-code, cursor, vscode, windsurf, codex, claude-desktop"
          + " (default: $MESHCODE_EDITOR, else the first found).")
  String editor;

  @Override
  public Integer call() {
    AgentWorkspaces agents = new AgentWorkspaces(session(), out(), err());
    agents.editors.forced(editor);
    AgentWorkspaces.Target target = agents.resolve(agent, project, false);
    JsonMap slot = agents.agent(target, agents.meshwork(target, false), null, false);
    Workspace workspace = Workspace.of(env(), target.project(), target.agent());
    Editor chosen = agents.editors.choose(editor, workspace.info().map(Workspace.Info::editor).orElse(null), false);
    agents.setUp(target, slot, chosen);
    out().println("Next: meshcode run " + target.agent() + " --project " + target.project());
    return ExitCode.OK;
  }
}
