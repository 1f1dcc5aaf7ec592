package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The bridge to the MCP server module ({@code io.meshcode.mcp.McpServerMain}), run in this
 * process on its stdin and stdout until stdin ends; its logs go to stderr.
 */
final class McpServer {

  private McpServer() {}

  static int run(Map<String, String> env, String project, String agent, URI server, String key, boolean takeOver,
      String client, Duration progressInterval) {
    // The mcp module is not on main yet. Once it is (and cli/pom.xml depends on meshcode-mcp):
    //   McpServerMain.configureLogging(env);
    //   return McpServerMain.run(new McpOptions(project, agent, server, key, takeOver, client, progressInterval));
    // with an IllegalArgumentException from McpOptions mapped to CliException.usage.
    throw CliException.failure("the MCP server is not part of this build yet: its module (mcp) is still being built");
  }
}
