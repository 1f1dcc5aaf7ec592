package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import java.net.URI;

/**
 * The bridge to the MCP server module ({@code io.meshcode.mcp.McpServerMain}), run in this process
 * on its stdin and stdout until stdin ends.
 */
final class McpServer {

  private McpServer() {}

  static int run(String project, String agent, URI server, String key, boolean takeOver, String client) {
    // The mcp module is not on main yet; merging it replaces this line with:
    // return McpServerMain.run(new McpOptions(project, agent, server, key, takeOver, client, McpOptions.DEFAULT_PROGRESS_INTERVAL));
    throw CliException.failure("the MCP server is not part of this build yet (module mcp)");
  }
}
