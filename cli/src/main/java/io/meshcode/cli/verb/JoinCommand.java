package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Session;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "join", mixinStandardHelpOptions = true,
    description = {
        "Joins a project with the invite link someone sent you.",
        "Stores the guest key it brings in your keychain: it runs that one agent of that one project. "
            + "The server is the link's own unless --server or MESHCODE_SERVER names another."})
public final class JoinCommand extends Verb {

  private static final Pattern LINK = Pattern.compile("^(https?://[^#?]+?)/join/(mc_inv_[A-Za-z0-9]+)/?$");

  @Parameters(paramLabel = "<invite>", description = "The join link, or the mc_inv_… token in it.")
  String invite;

  @Option(names = "--display-name", paramLabel = "<name>",
      description = "How the team sees you (1-80 characters; default: your user name).")
  String displayName;

  @Override
  public Integer call() {
    String token = invite.strip();
    URI server = null;
    Matcher link = LINK.matcher(token);
    if (link.matches()) {
      token = link.group(2);
      server = Session.parseServer(link.group(1));
    } else if (!token.matches("mc_inv_[A-Za-z0-9]{20,200}")) {
      throw CliException.usage("that is not an invite: give the join link (…/join/mc_inv_…) or the mc_inv_… token in it");
    } else if (session().serverSource().equals("the default")) {
      // A bare token does not say where it belongs; guessing localhost would send it to whatever listens there.
      throw CliException.usage("the invite token alone does not say which server it belongs to: give the whole join link"
          + " (…/join/mc_inv_…), or add --server URL");
    }
    // An explicit --server or MESHCODE_SERVER wins; otherwise the link says where it belongs.
    if (server == null || !session().serverSource().equals("stored by login") && !session().serverSource().equals("the default")) {
      server = session().server();
    }
    String name = displayName != null ? displayName.strip()
        : env().get("USER").or(() -> env().get("USERNAME")).orElseThrow(() -> CliException.usage("say who you are: --display-name <name>"));
    if (name.isEmpty() || name.length() > 80) {
      throw CliException.usage("--display-name must be 1-80 characters");
    }
    JsonMap joined;
    try {
      joined = new Gateway(server, null).post("/v1/join", JsonMap.of("token", token, "display_name", name));
    } catch (GatewayError e) {
      throw switch (e.status()) {
        case 404 -> CliException.notFound("invite not found: it is unknown or was revoked; ask for a new one");
        case 409 -> new CliException(ExitCode.CONFLICT, "this invite was already used; ask for a new one");
        case 410 -> new CliException(ExitCode.CONFLICT, "this invite expired; ask for a new one");
        default -> e;
      };
    }
    String serverId = server.toString();
    String meshwork = joined.string("meshwork");
    String agent = joined.string("agent");
    Credentials.Stored stored = session().credentials().store(serverId, Credentials.projectScope(meshwork), joined.string("key"),
        meshwork, agent);
    if (session().settings().server().isEmpty()) {
      session().settings().server(serverId);
    }
    session().settings().save();
    stored.warning().ifPresent(warning -> err().println("warning: " + warning));
    out().println("Joined " + meshwork + " as " + name + ": you run the agent '" + agent + "'"
        + (joined.has("role") ? " (" + joined.string("role") + ")" : "") + ".");
    out().println("Your guest key is stored in " + stored.where() + ".");
    out().println("Next: meshcode go " + agent + " --project " + meshwork
        + (serverId.equals(session().settings().server().orElse("")) ? "" : " --server " + serverId));
    return ExitCode.OK;
  }
}
