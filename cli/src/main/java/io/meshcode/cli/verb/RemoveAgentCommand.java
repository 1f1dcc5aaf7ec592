package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Session;
import io.meshcode.cli.api.Gateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "remove-agent", mixinStandardHelpOptions = true,
    description = {
        "Removes an agent from a project, with its memory and unread messages.",
        "Owner keys only. The agent's guests' keys stop working, and its memory, unread messages, session and file "
            + "reservations are deleted: an agent added later under the name starts clean. Asks you to type the agent's "
            + "name first; --yes skips that (and is needed when not at a terminal)."})
public final class RemoveAgentCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<agent>")
  String agent;

  @Option(names = "--yes", description = "Remove without asking.")
  boolean yes;

  @Override
  public Integer call() {
    Gateway gateway = session().gateway(project);
    Session.agent(session().meshwork(gateway, project), agent);
    if (!yes) {
      confirm();
    }
    gateway.delete("/v1/meshworks/" + project + "/agents/" + agent);
    out().println("Removed agent '" + agent + "' from '" + project + "': its guests' keys stop working now, and its memory,"
        + " unread messages and reservations are deleted.");
    return ExitCode.OK;
  }

  private void confirm() {
    if (!env().interactive()) {
      throw CliException.usage("removing '" + agent + "' deletes its memory and unread messages for good;"
          + " run it again with --yes to go ahead");
    }
    out().print("Remove agent '" + agent + "' from '" + project + "'? Its guests' keys stop working, and its memory,"
        + " unread messages and reservations are deleted. Type its name to confirm: ");
    out().flush();
    String typed;
    try {
      typed = new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw CliException.failure("cannot read the confirmation: " + e.getMessage() + "; run it again with --yes");
    }
    if (typed == null || !agent.equals(typed.strip())) {
      throw CliException.usage("nothing removed: '" + (typed == null ? "" : typed.strip()) + "' is not '" + agent
          + "'; run it again and type the agent's name");
    }
  }
}
