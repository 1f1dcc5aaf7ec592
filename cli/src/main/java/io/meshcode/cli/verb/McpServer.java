package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.mcp.McpOptions;
import io.meshcode.mcp.McpServerMain;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The bridge to the MCP server module: {@link McpServerMain#run(McpOptions)} in this process, on
 * its stdin and stdout, until stdin ends. Its logs go to stderr.
 */
final class McpServer {

  private McpServer() {}

  static int run(Map<String, String> env, String project, String agent, URI server, String key, boolean takeOver,
      String client, Duration progressInterval) {
    McpOptions options;
    try {
      McpServerMain.configureLogging(env);
      options = new McpOptions(project, agent, server, key, takeOver, client, progressInterval);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    return McpServerMain.run(options);
  }
}
