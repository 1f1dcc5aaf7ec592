package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.Names;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = {
        "Runs the MCP server for one agent on stdin/stdout.",
        "Editors start it (meshcode setup writes the config that does). stdout carries the protocol "
            + "only; logs go to stderr. The key is the one every verb uses: MESHCODE_API_KEY, else the "
            + "keychain."})
public final class McpCommand extends Verb {

  @Option(names = {"-p", "--project"}, paramLabel = "<project>", description = "The project (default: $MESHCODE_PROJECT).")
  String project;

  @Option(names = {"-a", "--agent"}, paramLabel = "<agent>", description = "The agent (default: $MESHCODE_AGENT).")
  String agent;

  @Option(names = "--client", paramLabel = "<editor>", description = "The editor, as the session and the dashboard name it.")
  String client;

  @Option(names = "--take-over", description = "Take the agent over from a window already running it (also: MESHCODE_TAKE_OVER=1).")
  boolean takeOver;

  @Override
  public Integer call() {
    String meshwork = project != null ? project : env().get("MESHCODE_PROJECT")
        .orElseThrow(() -> CliException.usage("no project: --project <project> (or MESHCODE_PROJECT)"));
    String name = agent != null ? agent : env().get("MESHCODE_AGENT")
        .orElseThrow(() -> CliException.usage("no agent: --agent <agent> (or MESHCODE_AGENT)"));
    Names.check(meshwork, "project");
    Names.check(name, "agent");
    boolean takingOver = takeOver || env().get("MESHCODE_TAKE_OVER").filter(v -> !v.equals("0")).isPresent();
    String key = session().key(meshwork).value();
    return McpServer.run(env().variables(), meshwork, name, session().server(), key, takingOver,
        client != null ? client : "mcp", progressInterval());
  }

  /** {@code MESHCODE_MCP_PROGRESS_SECONDS}: how often a parked wait tells the editor it is alive. */
  private Duration progressInterval() {
    Optional<String> seconds = env().get("MESHCODE_MCP_PROGRESS_SECONDS");
    try {
      return seconds.map(s -> Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000))).orElse(null);
    } catch (NumberFormatException e) {
      throw CliException.usage("MESHCODE_MCP_PROGRESS_SECONDS must be a number of seconds, not '" + seconds.get() + "'");
    }
  }
}
