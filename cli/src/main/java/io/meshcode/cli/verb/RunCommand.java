package io.meshcode.cli.verb;

import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.editor.Editor;
import io.meshcode.cli.editor.Workspace;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Opens an agent's editor on its workspace.",
        "The editor is the one found first of Claude Code, Cursor, VS Code + Cline, Windsurf, Codex and "
            + "Claude Desktop (MESHCODE_EDITOR or --editor forces one). A deleted workspace, or a missing "
            + "config, is recreated from the server."})
public final class RunCommand extends Verb {

  @Parameters(paramLabel = "<agent>")
  String agent;

  @Option(names = {"-p", "--project"}, paramLabel = "<project>",
      description = "The project (default: $MESHCODE_PROJECT, the workspace you are in, else the one project with this agent).")
  String project;

  @Option(names = "--editor", paramLabel = "<editor>", description = "The editor to use (default: $MESHCODE_EDITOR, else the one it was set up for).")
  String editor;

  @Option(names = "--take-over", description = "Run the agent here even if another window runs it.")
  boolean takeOver;

  @Override
  public Integer call() {
    AgentWorkspaces agents = new AgentWorkspaces(session(), out(), err());
    agents.editors.forced(editor);
    AgentWorkspaces.Target target = agents.resolve(agent, project, false);
    Workspace workspace = Workspace.of(env(), target.project(), target.agent());
    Editor chosen = agents.editors.choose(editor, workspace.info().map(Workspace.Info::editor).orElse(null), true);
    JsonMap slot = agents.agent(target, agents.meshwork(target, false), null, false);
    agents.refuseIfRunning(target, slot, takeOver);
    if (!workspace.exists()) {
      out().println("No workspace at " + workspace.dir() + ": recreating it from the server.");
      agents.setUp(target, slot, chosen);
    } else if (!Files.exists(agents.configs.configFile(workspace, chosen)) || !chosen.id().equals(
        workspace.info().map(Workspace.Info::editor).orElse(""))) {
      agents.setUp(target, slot, chosen);
    }
    return agents.launch(target, workspace, chosen, takeOver);
  }
}
