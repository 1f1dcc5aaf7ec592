package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.JsonMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invites", mixinStandardHelpOptions = true,
    description = "Lists a project's invites and what became of them.")
public final class InvitesCommand extends Verb {

  @Parameters(paramLabel = "<project>")
  String project;

  @Option(names = "--json", description = "Print them as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonMap answer = projectList(project, "invites", json);
    if (answer == null) {
      return ExitCode.OK;
    }
    if (answer.objects("invites").isEmpty()) {
      out().println("No invites in '" + project + "': meshcode invite " + project + " <agent> makes one.");
      return ExitCode.OK;
    }
    Table table = new Table("ID", "AGENT", "ROLE", "STATE", "EXPIRES", "REDEEMED BY");
    for (JsonMap invite : answer.objects("invites")) {
      table.row(invite.string("id"), invite.string("agent"), invite.string("role"), invite.string("state"),
          Table.date(invite.string("expires_at")), invite.string("redeemed_by_name", invite.string("redeemed_by")));
    }
    table.print(out());
    return ExitCode.OK;
  }
}
