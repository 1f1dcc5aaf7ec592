package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.JsonMap;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "members", mixinStandardHelpOptions = true,
    description = "Lists a project's owner and guests, with the agent each runs.")
public final class MembersCommand extends Verb {

  @Parameters(paramLabel = "<project>")
  String project;

  @Option(names = "--json", description = "Print them as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonMap answer = projectList(project, "members", json);
    if (answer == null) {
      return ExitCode.OK;
    }
    Table table = new Table("ID", "KIND", "NAME", "AGENT", "JOINED", "LAST SEEN");
    Instant now = Instant.now();
    for (JsonMap member : answer.objects("members")) {
      boolean owner = "owner".equals(member.string("id"));
      table.row(member.string("id"), member.string("kind", owner ? "owner" : "guest"),
          member.string("display_name", member.string("name")), owner ? "all" : member.string("agent"),
          Table.date(member.string("joined_at")), owner ? "" : Table.ago(member.string("last_seen_at"), now));
    }
    table.print(out());
    return ExitCode.OK;
  }
}
