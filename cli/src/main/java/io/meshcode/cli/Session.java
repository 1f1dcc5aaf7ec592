package io.meshcode.cli;

import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import java.net.URI;
import java.util.List;

/**
 * One run of a verb: which server, which key, and the lookups every verb shares, with the errors
 * users meet phrased once (project not found with the closest names, a scoped key used for
 * another project).
 */
public final class Session {

  public static final String DEFAULT_SERVER = "http://localhost:8080";

  private final Environment env;
  private final String serverOption;
  private CliSettings settings;
  private Credentials credentials;
  private URI server;

  public Session(Environment env, String serverOption) {
    this.env = env;
    this.serverOption = serverOption;
  }

  public Environment env() {
    return env;
  }

  public CliSettings settings() {
    if (settings == null) {
      settings = CliSettings.load(env);
    }
    return settings;
  }

  public Credentials credentials() {
    if (credentials == null) {
      credentials = new Credentials(env, settings());
    }
    return credentials;
  }

  /** {@code --server}, else {@code MESHCODE_SERVER}, else what {@code login} stored, else {@value #DEFAULT_SERVER}. */
  public URI server() {
    if (server == null) {
      String chosen = serverOption != null ? serverOption
          : env.get("MESHCODE_SERVER").orElseGet(() -> settings().server().orElse(DEFAULT_SERVER));
      server = parseServer(chosen);
    }
    return server;
  }

  /** Where {@link #server()} came from, for {@code status}. */
  public String serverSource() {
    if (serverOption != null) {
      return "--server";
    }
    if (env.get("MESHCODE_SERVER").isPresent()) {
      return "MESHCODE_SERVER";
    }
    return settings().server().isPresent() ? "stored by login" : "the default";
  }

  /** The server as keys are filed under it: no trailing slash. */
  public String serverId() {
    return server().toString();
  }

  public static URI parseServer(String text) {
    String trimmed = text.strip().replaceAll("/+$", "");
    try {
      URI uri = URI.create(trimmed);
      if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw CliException.usage("the server must be an http(s) URL such as http://localhost:8080, not '" + text + "'");
  }

  /**
   * The key for a command on {@code project} (null: none in particular). Without one: "scoped api
   * key cannot access this project" when the keys a join brought reach other projects only, else
   * "run meshcode login first".
   */
  public Credentials.Key key(String project) {
    return credentials().find(serverId(), project).orElseThrow(() -> {
      List<String> joined = credentials().projectKeys(serverId()).stream()
          .map(k -> k.meshwork() + "/" + k.agent()).toList();
      return project == null || joined.isEmpty() ? CliException.notLoggedIn() : outsideScope(project, "guest", joined);
    });
  }

  /** "scoped api key cannot access this project", naming what the scoped keys do reach and what to run. */
  public static CliException outsideScope(String project, String kind, List<String> reach) {
    return new CliException(ExitCode.OUT_OF_SCOPE, "scoped api key cannot access this project: '" + project
        + "' is outside your " + kind + " key" + (reach.size() == 1 ? "" : "s") + ", which reach" + (reach.size() == 1 ? "es" : "")
        + " only " + String.join(", ", reach) + "; meshcode projects lists what your keys reach");
  }

  public Gateway gateway(String project) {
    return new Gateway(server(), key(project).value());
  }

  public Gateway anonymous() {
    return new Gateway(server(), null);
  }

  /**
   * The meshwork, with its agents. A 404 becomes "scoped api key cannot access this project" for a
   * guest or spectator key of another project, else "project not found" with the closest names.
   */
  public JsonMap meshwork(Gateway gateway, String project) {
    Names.check(project, "project");
    try {
      return gateway.get("/v1/meshworks/" + project);
    } catch (GatewayError e) {
      if (e.status() != 404) {
        throw e;
      }
      throw projectNotFound(gateway, project);
    }
  }

  private CliException projectNotFound(Gateway gateway, String project) {
    JsonMap me = gateway.get("/v1/me");
    if (!"owner".equals(me.string("kind"))) {
      JsonMap scope = me.object("scope");
      String reach = scope.string("meshwork", "?") + (scope.has("agent") ? "/" + scope.string("agent") : "");
      return outsideScope(project, me.string("kind", "scoped"), List.of(reach));
    }
    List<String> names = gateway.get("/v1/meshworks").objects("meshworks").stream().map(m -> m.string("name")).toList();
    return CliException.notFound("project '" + project + "' not found" + (names.isEmpty()
        ? "; you have no projects yet: meshcode go <agent> --project " + project + " creates it"
        : Suggestions.closest(project, names).isEmpty() ? "; meshcode projects lists yours (" + String.join(", ", names) + ")"
        : Suggestions.didYouMean(project, names)));
  }

  /**
   * Throws "project not found" (or "scoped api key cannot access this project") or "agent not
   * found", whichever explains a bare 404 on an agent's route; returns when both exist.
   */
  public void requireAgent(Gateway gateway, String project, String agent) {
    agent(meshwork(gateway, project), agent);
  }

  /** The agent's entry in {@code meshwork}, or "agent not found" with the closest names. */
  public static JsonMap agent(JsonMap meshwork, String agent) {
    Names.check(agent, "agent");
    List<JsonMap> agents = meshwork.objects("agents");
    return agents.stream().filter(a -> agent.equals(a.string("name"))).findFirst().orElseThrow(() -> {
      List<String> names = agents.stream().map(a -> a.string("name")).toList();
      String project = meshwork.string("name");
      return CliException.notFound("agent '" + agent + "' not found in project '" + project + "'" + (names.isEmpty()
          ? "; it has no agents yet: meshcode go <agent> --project " + project + " adds one"
          : Suggestions.closest(agent, names).isEmpty() ? "; meshcode board " + project + " --once lists its agents ("
              + String.join(", ", names) + ")" : Suggestions.didYouMean(agent, names)));
    });
  }
}
