package io.meshcode.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one MCP server needs: which agent of which meshwork it is, and the gateway and key it
 * reaches the mesh with. The CLI's {@code meshcode mcp} builds one (finding the key in the
 * keychain); {@link #parse} reads the command line and environment of the standalone jar.
 *
 * @param project the meshwork's name
 * @param agent the agent's name in it
 * @param server the gateway's base URL
 * @param apiKey an owner key or the agent's guest key
 * @param takeOver take the agent over from a window already running it
 * @param client the editor, as the session and the dashboard name it (at most 80 characters)
 * @param progressInterval how often a parked wait sends a progress notification
 */
public record McpOptions(
    String project, String agent, URI server, String apiKey, boolean takeOver, String client, Duration progressInterval) {

  public static final String DEFAULT_SERVER = "http://localhost:8080";
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  public static final String USAGE = """
      Usage: meshcode mcp --project <meshwork> --agent <name> [--server <url>] [--take-over] [--client <editor>]
      Runs the MeshCode MCP server on stdin/stdout for one agent.
      Environment: MESHCODE_PROJECT, MESHCODE_AGENT, MESHCODE_SERVER (default http://localhost:8080),
                   MESHCODE_API_KEY (required), MESHCODE_EDITOR (the client name).""";

  public McpOptions {
    requireName(project, "project (--project or MESHCODE_PROJECT)");
    requireName(agent, "agent (--agent or MESHCODE_AGENT)");
    if (server == null || server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
      throw new IllegalArgumentException("the server must be an http(s) URL, not '" + server + "'");
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("no API key: set MESHCODE_API_KEY (an owner key mc_… or the agent's guest key mc_sk_…)");
    }
    client = client == null || client.isBlank() ? "mcp" : client.strip();
    if (client.length() > 80) {
      client = client.substring(0, 80);
    }
    if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
      progressInterval = DEFAULT_PROGRESS_INTERVAL;
    }
  }

  /** The same options for another agent (the tests run two agents side by side). */
  public McpOptions forAgent(String otherAgent) {
    return new McpOptions(project, otherAgent, server, apiKey, takeOver, client, progressInterval);
  }

  /**
   * Reads {@code --project}, {@code --agent}, {@code --server}, {@code --client} and
   * {@code --take-over} from {@code args}, falling back to {@code MESHCODE_PROJECT},
   * {@code MESHCODE_AGENT}, {@code MESHCODE_SERVER}, {@code MESHCODE_EDITOR}; the key only from
   * {@code MESHCODE_API_KEY} (a key on a command line shows in every process list).
   *
   * @throws IllegalArgumentException naming what is missing or wrong
   */
  public static McpOptions parse(String[] args, Map<String, String> env) {
    String project = env.get("MESHCODE_PROJECT");
    String agent = env.get("MESHCODE_AGENT");
    String server = env.getOrDefault("MESHCODE_SERVER", DEFAULT_SERVER);
    String client = env.get("MESHCODE_EDITOR");
    boolean takeOver = false;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--project", "-p" -> project = value != null ? value : next(rest, arg);
        case "--agent", "-a" -> agent = value != null ? value : next(rest, arg);
        case "--server" -> server = value != null ? value : next(rest, arg);
        case "--client" -> client = value != null ? value : next(rest, arg);
        case "--take-over" -> takeOver = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    Duration progress = DEFAULT_PROGRESS_INTERVAL;
    String progressSeconds = env.get("MESHCODE_MCP_PROGRESS_SECONDS");
    if (progressSeconds != null && !progressSeconds.isBlank()) {
      try {
        progress = Duration.ofMillis(Math.round(Double.parseDouble(progressSeconds) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("MESHCODE_MCP_PROGRESS_SECONDS must be a number of seconds");
      }
    }
    URI uri;
    try {
      uri = URI.create(stripSlash(server.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the server must be an http(s) URL, not '" + server + "'");
    }
    return new McpOptions(project, agent, uri, env.get("MESHCODE_API_KEY"), takeOver, client, progress);
  }

  private static String next(List<String> rest, String option) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException("option '" + option + "' needs a value");
    }
    return rest.remove(0);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + what);
    }
    if (!Args.NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("the " + what.substring(0, what.indexOf(' ')) + " '" + value
          + "' is not a name: 1-40 lowercase letters, digits, '-' or '_'");
    }
  }

  @Override
  public String toString() {
    // Never the key: options end up in logs.
    return "McpOptions[project=" + project + ", agent=" + agent + ", server=" + server + ", takeOver=" + takeOver
        + ", client=" + client + "]";
  }
}
