package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = {
        "Sends a message from one agent to others (legacy).",
        "Agents send with their meshcode tools; this is for scripts and people. <to> is an agent, "
            + "several joined by ',', '*' for every other agent, or linked-project/agent. The JSON's \"text\" "
            + "is the message; its other fields travel as data. Any other JSON is sent as both: its text form, "
            + "and the value as data."})
public final class SendCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<from>:<to>")
  String route;

  @Parameters(index = "2", paramLabel = "<json>", description = "The message, as JSON: '{\"text\":\"tests pass\",\"pr\":42}'.")
  String message;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    int colon = route.indexOf(':');
    if (colon <= 0 || colon == route.length() - 1) {
      throw CliException.usage("expected <from>:<to>, such as backend:frontend, not '" + route + "'");
    }
    String from = Names.check(route.substring(0, colon), "sender agent");
    String to = route.substring(colon + 1);
    Object recipients = to.contains(",") ? Arrays.stream(to.split(",")).map(String::strip).toList() : to;
    Object value;
    try {
      value = Json.parse(message);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("the message is not JSON (" + e.getMessage() + "); to send plain text, give '{\"text\":\"…\"}'");
    }
    JsonMap body = JsonMap.of("to", recipients);
    if (value instanceof JsonMap object && object.get("text") instanceof String text) {
      JsonMap data = new JsonMap();
      object.asMap().forEach((name, field) -> {
        if (!name.equals("text")) {
          data.put(name, field);
        }
      });
      body.put("text", text).put("data", data.asMap().isEmpty() ? null : data);
    } else if (value instanceof String text) {
      body.put("text", text);
    } else {
      body.put("text", Json.write(value)).put("data", value);
    }
    Gateway gateway = session().gateway(project);
    JsonMap sent;
    try {
      sent = gateway.post("/v1/meshworks/" + Names.check(project, "project") + "/agents/" + from + "/messages", body);
    } catch (GatewayError e) {
      if (e.status() == 404 && !"unknown_recipient".equals(e.code())) {
        session().requireAgent(gateway, project, from);
      }
      throw e;
    }
    if (json) {
      printJson(sent);
      return ExitCode.OK;
    }
    List<String> states = new ArrayList<>();
    for (JsonMap recipient : sent.objects("recipients")) {
      states.add(recipient.string("agent") + ": " + recipient.string("state") + " (" + recipient.string("status", "offline") + ")");
    }
    out().println("Sent " + sent.string("id") + " from " + from + " to " + String.join(", ", states) + ".");
    return ExitCode.OK;
  }
}
