package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "read", mixinStandardHelpOptions = true,
    description = {
        "Shows an agent's unread messages (legacy).",
        "Agents read with their meshcode tools. Reading changes nothing unless --ack marks what was "
            + "shown as read."})
public final class ReadCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<agent>")
  String agent;

  @Option(names = "--ack", description = "Mark the messages shown as read.")
  boolean ack;

  @Option(names = "--limit", paramLabel = "<n>", description = "At most this many (1-500, default 50).")
  Integer limit;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Names.check(project, "project");
    Names.check(agent, "agent");
    Gateway gateway = session().gateway(project);
    String inbox = "/v1/meshworks/" + project + "/agents/" + agent;
    JsonMap answer;
    try {
      answer = gateway.get(inbox + "/inbox" + (limit == null ? "" : "?limit=" + limit));
    } catch (GatewayError e) {
      if (e.status() == 404) {
        session().requireAgent(gateway, project, agent);
      }
      throw e;
    }
    if (ack && answer.has("cursor") && !answer.objects("messages").isEmpty()) {
      answer.put("acked", gateway.post(inbox + "/ack", JsonMap.of("cursor", answer.string("cursor"))).number("acked", 0));
    }
    if (json) {
      printJson(answer);
      return ExitCode.OK;
    }
    if (answer.objects("messages").isEmpty()) {
      out().println("No unread messages for " + project + "/" + agent + ".");
      return ExitCode.OK;
    }
    for (JsonMap message : answer.objects("messages")) {
      out().println(Table.date(message.string("created_at")) + "  " + message.string("from") + " → " + agent
          + "  [" + message.string("id") + "]");
      out().println("  " + message.string("text", "").replace("\n", "\n  "));
      if (message.has("data")) {
        out().println("  data: " + Json.write(message.get("data")));
      }
    }
    if (answer.bool("more")) {
      out().println("(more unread: use --limit, or --ack and read again)");
    }
    if (ack) {
      out().println("Marked " + answer.number("acked", 0) + " as read.");
    }
    return ExitCode.OK;
  }
}
