package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.CliSettings.StoredKey;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "projects", aliases = {"list", "ls"}, mixinStandardHelpOptions = true,
    description = "Lists your projects with their agents and statuses.")
public final class ProjectsCommand extends Verb {

  @Option(names = "--json", description = "Print them as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Map<String, JsonMap> projects = new LinkedHashMap<>();
    Optional<Credentials.Key> main = session().credentials().find(session().serverId(), null);
    List<StoredKey> joined = env().get(Credentials.ENV_KEY).isPresent() ? List.of()
        : session().credentials().projectKeys(session().serverId());
    if (main.isEmpty() && joined.isEmpty()) {
      throw CliException.notLoggedIn();
    }
    main.ifPresent(key -> add(projects, new Gateway(session().server(), key.value()), key.kind()));
    for (StoredKey entry : joined) {
      session().credentials().find(session().serverId(), entry.meshwork())
          .ifPresent(key -> add(projects, new Gateway(session().server(), key.value()), "guest as " + entry.agent()));
    }
    if (json) {
      printJson(JsonMap.of("projects", new ArrayList<>(projects.values())));
      return ExitCode.OK;
    }
    if (projects.isEmpty()) {
      out().println("No projects yet: meshcode go <agent> --project <name> creates one.");
      return ExitCode.OK;
    }
    Table table = new Table("PROJECT", "ACCESS", "AGENTS");
    for (JsonMap project : projects.values()) {
      List<String> agents = project.objects("agents").stream()
          .map(a -> a.string("name") + " (" + a.string("status", "offline") + ")").toList();
      table.row(project.string("name"), project.string("access"), agents.isEmpty() ? "none yet" : String.join(", ", agents));
    }
    table.print(out());
    return ExitCode.OK;
  }

  private static void add(Map<String, JsonMap> projects, Gateway gateway, String access) {
    for (JsonMap meshwork : gateway.get("/v1/meshworks").objects("meshworks")) {
      projects.putIfAbsent(meshwork.string("name"), meshwork.put("access", access));
    }
  }
}
