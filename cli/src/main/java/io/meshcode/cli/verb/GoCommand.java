package io.meshcode.cli.verb;

import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.editor.Editor;
import io.meshcode.cli.editor.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "go", mixinStandardHelpOptions = true,
    description = {
        "Sets up an agent and opens its editor, connected to the mesh.",
        "Checks your key, creates the project and the agent if missing (owner keys), sets up the agent's "
            + "workspace and MCP config, and opens the editor. Safe to run again."})
public final class GoCommand extends Verb {

  @Parameters(paramLabel = "<agent>", description = "The agent's name, e.g. backend.")
  String agent;

  @Option(names = {"-p", "--project"}, paramLabel = "<project>",
      description = "The project (default: $MESHCODE_PROJECT, the workspace you are in, the one project with this agent,"
          + " else a new one named after this folder).")
  String project;

  @Option(names = "--role", paramLabel = "<role>", description = "The agent's role, e.g. \"API and database\"; on an existing agent it replaces the old role (owner keys).")
  String role;

  @Option(names = "--editor", paramLabel = "<editor>", description = "The editor to use (default: $MESHCODE_EDITOR, else the first found).")
  String editor;

  @Option(names = "--take-over", description = "Run the agent here even if another window runs it.")
  boolean takeOver;

  @Override
  public Integer call() {
    AgentWorkspaces agents = new AgentWorkspaces(session(), out(), err());
    agents.editors.forced(editor);
    AgentWorkspaces.Target target = agents.resolve(agent, project, true);
    Workspace workspace = Workspace.of(env(), target.project(), target.agent());
    // The editor first: nothing is created on the server for an agent that cannot be opened here.
    Editor chosen = agents.editors.choose(editor, workspace.info().map(Workspace.Info::editor).orElse(null), true);
    JsonMap meshwork = agents.meshwork(target, true);
    JsonMap slot = agents.agent(target, meshwork, role, true);
    agents.refuseIfRunning(target, slot, takeOver);
    agents.setUp(target, slot, chosen);
    return agents.launch(target, workspace, chosen, takeOver);
  }
}
