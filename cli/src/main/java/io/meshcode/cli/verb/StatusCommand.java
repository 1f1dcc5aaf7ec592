package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.CliSettings;
import io.meshcode.cli.CliSettings.StoredKey;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.MeshcodeCommand;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import io.meshcode.cli.editor.Editor;
import io.meshcode.cli.editor.Editors;
import io.meshcode.cli.editor.McpConfigs;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Shows the server, your key (redacted) and who it is.",
        "Also whether the server answers, where keys are kept, where workspaces go and which editor "
            + "would open. Exits with the code of the first problem with the server or the key."})
public final class StatusCommand extends Verb {

  @Option(names = "--json", description = "Print it as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonMap report = new JsonMap();
    int exit = ExitCode.OK;
    report.put("version", MeshcodeCommand.version());
    report.put("server", JsonMap.of("url", session().serverId(), "from", session().serverSource()));
    // Without a login key, a key a join brought still says who you are.
    Optional<Credentials.Key> key = session().credentials().find(session().serverId(), null)
        .or(() -> session().credentials().projectKeys(session().serverId()).stream().findFirst()
            .flatMap(joined -> session().credentials().find(session().serverId(), joined.meshwork())));
    String problem = null;
    if (key.isPresent()) {
      report.put("key", JsonMap.of("key", key.get().redacted(), "kind", key.get().kind(), "from", key.get().source()));
      try {
        JsonMap me = new Gateway(session().server(), key.get().value()).get("/v1/me");
        report.object("server").put("reachable", true).put("version", me.string("version"));
        report.put("signed_in_as", LoginCommand.describe(me));
      } catch (CliException e) {
        exit = e.exitCode();
        problem = e.getMessage();
        report.object("server").put("reachable", exit != ExitCode.UNREACHABLE);
      }
    } else {
      // An unreachable server is the first problem: no key could be checked against it anyway.
      Optional<CliException> unreachable = unreachable();
      report.object("server").put("reachable", unreachable.isEmpty());
      exit = unreachable.map(CliException::exitCode).orElse(ExitCode.NOT_LOGGED_IN);
      problem = unreachable.map(CliException::getMessage).orElse(CliException.notLoggedIn().getMessage());
      report.put("other_servers", otherServers());
    }
    report.put("guest_keys", session().credentials().projectKeys(session().serverId()).stream()
        .map(k -> k.meshwork() + "/" + k.agent()).toList());
    report.put("keychain", session().credentials().storeDescription());
    report.put("workspaces", env().workspaceRoot().toString());
    Editors editors = new Editors(env(), new McpConfigs(env()));
    try {
      Editor editor = editors.choose(null, null, true);
      report.put("editor", editor.displayName());
    } catch (CliException e) {
      // Not a problem of this machine's link to the mesh: a server or CI box has no editor.
      report.put("editor", e.getMessage().replaceFirst("^editor not found: ", "none found: "));
    }
    report.put("problem", problem);
    if (json) {
      printJson(report);
    } else {
      print(report);
    }
    return exit;
  }

  /** Why the server cannot be reached; empty when it answers (a 401 is an answer). */
  private Optional<CliException> unreachable() {
    try {
      session().anonymous().get("/v1/me");
      return Optional.empty();
    } catch (CliException e) {
      return e.exitCode() == ExitCode.UNREACHABLE ? Optional.of(e) : Optional.empty();
    }
  }

  /** The keys stored for other servers (redacted), so a login made elsewhere is not taken for none. */
  private java.util.List<JsonMap> otherServers() {
    java.util.List<JsonMap> keys = new java.util.ArrayList<>();
    for (StoredKey stored : session().settings().keys()) {
      if (!stored.server().equals(session().serverId())) {
        String project = stored.scope().equals(CliSettings.DEFAULT_SCOPE) ? null : stored.meshwork();
        session().credentials().find(stored.server(), project).ifPresent(key -> keys.add(JsonMap.of(
            "server", stored.server(), "key", key.redacted(), "kind", key.kind(), "from", key.source())));
      }
    }
    return keys;
  }

  private void print(JsonMap report) {
    JsonMap server = report.object("server");
    out().println("meshcode " + report.string("version"));
    out().println("Server:     " + server.string("url") + " (" + server.string("from") + ")"
        + (server.bool("reachable") ? ", reachable" + (server.has("version") ? ", version " + server.string("version") : "")
        : ", not reachable"));
    if (report.has("key")) {
      JsonMap key = report.object("key");
      out().println("Key:        " + key.string("key") + " (" + key.string("kind") + " key, from " + key.string("from") + ")");
    } else {
      out().println("Key:        none for this server");
      for (JsonMap other : report.objects("other_servers")) {
        out().println("Stored:     " + other.string("key") + " (" + other.string("kind") + " key for " + other.string("server")
            + ", from " + other.string("from") + "); --server " + other.string("server") + " uses it");
      }
    }
    if (report.has("signed_in_as")) {
      out().println("Signed in:  " + report.string("signed_in_as"));
    }
    Object guests = report.get("guest_keys");
    if (guests instanceof java.util.List<?> list && !list.isEmpty()) {
      out().println("Joined:     " + String.join(", ", list.stream().map(Object::toString).toList()));
    }
    out().println("Keychain:   " + report.string("keychain"));
    out().println("Workspaces: " + report.string("workspaces"));
    out().println("Editor:     " + report.string("editor"));
    if (report.has("problem")) {
      out().println();
      out().println("Problem:    " + report.string("problem"));
    }
    out().flush();
  }
}
