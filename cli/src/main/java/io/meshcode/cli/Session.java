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

  /** The key for a command on {@code project} (null: none in particular), or "run meshcode login first". */
  public Credentials.Key key(String project) {
    return credentials().find(serverId(), project).orElseThrow(CliException::notLoggedIn);
  }

  public Gateway gateway(String project) {
    return new Gateway(server(), key(project).value());
  }

  public Gateway anonymous() {
    return new Gateway(server(), null);
  }

  /**
   * The meshwork, with its agents. A 404 becomes "scoped key cannot access this project" for a
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
      return CliException.noAccess("scoped key cannot access this project: '" + project + "' is outside this "
          + me.string("kind", "scoped") + " key, which reaches only " + reach);
    }
    List<String> names = gateway.get("/v1/meshworks").objects("meshworks").stream().map(m -> m.string("name")).toList();
    String hint = names.isEmpty() ? " You have no projects yet: meshcode go <agent> --project " + project + " creates it."
        : Suggestions.closest(project, names).isEmpty() ? " Your projects: " + String.join(", ", names) + "."
        : Suggestions.didYouMean(project, names);
    return CliException.notFound("project '" + project + "' not found." + hint);
  }

  /**
   * Throws "project not found" (or "scoped key cannot access this project") or "agent not
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
      String hint = names.isEmpty() ? " It has no agents yet." : Suggestions.closest(agent, names).isEmpty()
          ? " Its agents: " + String.join(", ", names) + "." : Suggestions.didYouMean(agent, names);
      return CliException.notFound("agent '" + agent + "' not found in project '" + meshwork.string("name") + "'." + hint);
    });
  }
}
