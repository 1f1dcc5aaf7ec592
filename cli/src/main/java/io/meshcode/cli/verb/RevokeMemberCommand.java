package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Suggestions;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.JsonMap;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "revoke-member", mixinStandardHelpOptions = true,
    description = "Removes a guest: their key stops working at their next request.")
public final class RevokeMemberCommand extends Verb {

  @Parameters(index = "0", paramLabel = "<project>")
  String project;

  @Parameters(index = "1", paramLabel = "<user>", description = "The member's id or display name (meshcode members <project> lists them).")
  String user;

  @Override
  public Integer call() {
    Gateway gateway = session().gateway(project);
    session().meshwork(gateway, project);
    List<JsonMap> guests = gateway.get("/v1/meshworks/" + project + "/members").objects("members").stream()
        .filter(m -> !"owner".equals(m.string("id"))).toList();
    List<JsonMap> matches = guests.stream().filter(m -> user.equals(m.string("id"))).toList();
    if (matches.isEmpty()) {
      matches = guests.stream().filter(m -> m.string("display_name", "").toLowerCase(Locale.ROOT)
          .equals(user.strip().toLowerCase(Locale.ROOT))).toList();
    }
    if (matches.isEmpty()) {
      if (user.equals("owner")) {
        throw CliException.usage("the owner cannot be revoked; name a guest (meshcode members " + project + " lists them)");
      }
      List<String> names = guests.stream().map(m -> m.string("display_name", "")).toList();
      throw CliException.notFound("no member '" + user + "' in '" + project + "'"
          + (names.isEmpty() ? ": it has no guests" : Suggestions.didYouMean(user, names)) + "; meshcode members " + project + " lists them");
    }
    if (matches.size() > 1) {
      throw CliException.usage("several members are called '" + user + "'; name one by id: "
          + String.join(", ", matches.stream().map(m -> m.string("id") + " (" + m.string("agent") + ")").toList()));
    }
    JsonMap member = matches.get(0);
    gateway.delete("/v1/meshworks/" + project + "/members/" + member.string("id"));
    out().println("Revoked " + member.string("display_name") + " (agent " + member.string("agent") + " in '" + project
        + "'): their key stops working now.");
    return ExitCode.OK;
  }
}
