package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.CliSettings;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "login", mixinStandardHelpOptions = true,
    description = {
        "Checks a key with the server and stores it in your keychain.",
        "The keychain is the macOS Keychain, the Linux Secret Service (secret-tool) or the Windows "
            + "Credential Manager. Without one, login says so and keeps the key in a file only you can read. "
            + "Without <key>, it reads the key from the terminal (hidden) or stdin. The server chosen with "
            + "--server or MESHCODE_SERVER is remembered for later verbs. MESHCODE_API_KEY, when set, "
            + "overrides any stored key."})
public final class LoginCommand extends Verb {

  @Parameters(arity = "0..1", paramLabel = "<key>", description = "An owner key mc_…, or a guest key mc_sk_….")
  String key;

  @Override
  public Integer call() {
    String given = (key != null ? key : readKey()).strip();
    if (given.startsWith("mc_inv_") || given.contains("/join/")) {
      throw CliException.usage("that is an invite, not a key: run meshcode join <invite>");
    }
    if (!given.matches("mc_[A-Za-z0-9_]{20,200}")) {
      throw CliException.usage("that does not look like a MeshCode key (mc_… or mc_sk_…)");
    }
    JsonMap me;
    try {
      me = new Gateway(session().server(), given).get("/v1/me");
    } catch (GatewayError e) {
      if (e.status() == 401) {
        throw new CliException(ExitCode.NOT_LOGGED_IN, "the server at " + session().server()
            + " refused the key: it is unknown or revoked; check that you copied all of it, and that --server is its server");
      }
      throw e;
    }
    String server = session().serverId();
    JsonMap scope = me.object("scope");
    Credentials.Stored stored = session().credentials()
        .store(server, CliSettings.DEFAULT_SCOPE, given, scope.string("meshwork"), scope.string("agent"));
    session().settings().server(server);
    session().settings().save();
    stored.warning().ifPresent(warning -> err().println("warning: " + warning));
    out().println("Logged in to " + server + " as " + describe(me) + " (" + Credentials.redact(given) + ").");
    out().println("Key stored in " + stored.where() + ".");
    if (env().get(Credentials.ENV_KEY).isPresent()) {
      err().println("note: MESHCODE_API_KEY is set in this shell and overrides the stored key.");
    }
    return ExitCode.OK;
  }

  static String describe(JsonMap me) {
    JsonMap scope = me.object("scope");
    return switch (me.string("kind", "")) {
      case "owner" -> "owner " + me.object("account").string("name", "?") + (me.object("account").bool("admin") ? " (admin)" : "");
      case "guest" -> "guest " + me.object("member").string("display_name", "?") + ", agent "
          + scope.string("meshwork") + "/" + scope.string("agent");
      case "spectator" -> "spectator of " + scope.string("meshwork");
      default -> me.string("kind", "unknown");
    };
  }

  private String readKey() {
    Console console = System.console();
    if (env().interactive() && console != null) {
      char[] typed = console.readPassword("MeshCode key: ");
      if (typed != null && typed.length > 0) {
        return new String(typed);
      }
    } else {
      try {
        String line = new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8)).readLine();
        if (line != null && !line.isBlank()) {
          return line;
        }
      } catch (IOException e) {
        throw CliException.failure("cannot read the key from stdin: " + e.getMessage() + "; give it as meshcode login <key>");
      }
    }
    throw CliException.usage("no key given: meshcode login <key> (or pipe it in)");
  }
}
