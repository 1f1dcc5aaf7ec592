package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.JsonMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invite", mixinStandardHelpOptions = true,
    description = {
        "Invites a teammate to run one agent of your project.",
        "Prints a join link (shown once) and the commands they run. The agent is added to the project if "
            + "it does not have it yet."})
public final class InviteCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<agent>")
  String agent;

  @Option(names = "--role", paramLabel = "<role>", description = "The role the guest takes, e.g. \"frontend reviewer\".")
  String role;

  @Option(names = "--days", paramLabel = "<days>", description = "How long the link stays valid: 1-30 days (default 7).")
  Integer days;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Names.check(agent, "agent");
    if (days != null && (days < 1 || days > 30)) {
      throw CliException.usage("--days must be 1-30, not " + days);
    }
    Gateway gateway = session().gateway(project);
    JsonMap meshwork = session().meshwork(gateway, project);
    if (meshwork.objects("agents").stream().noneMatch(a -> agent.equals(a.string("name")))) {
      gateway.post("/v1/meshworks/" + project + "/agents", JsonMap.of("name", agent, "role", role));
      out().println("Added agent '" + agent + "' to '" + project + "'.");
    }
    JsonMap invite = gateway.post("/v1/meshworks/" + project + "/invites", JsonMap.of("agent", agent, "role", role, "days", days));
    if (json) {
      printJson(invite);
      return ExitCode.OK;
    }
    out().println("Invite to run " + project + "/" + agent + (invite.has("role") ? " (" + invite.string("role") + ")" : "")
        + ", valid until " + Table.date(invite.string("expires_at")) + " UTC, usable once:");
    out().println();
    out().println("  " + invite.string("join_url"));
    out().println();
    out().println("Your teammate runs:");
    out().println("  meshcode join " + invite.string("join_url") + " --display-name \"<their name>\"");
    out().println("  meshcode go " + agent + " --project " + project);
    out().println("Invite id " + invite.string("id") + " (meshcode revoke-invite " + invite.string("id") + " cancels it).");
    return ExitCode.OK;
  }
}
