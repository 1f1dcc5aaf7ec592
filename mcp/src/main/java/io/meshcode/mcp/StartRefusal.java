package io.meshcode.mcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Why this server can never serve its agent, found when opening its session failed: the key was
 * refused (401), the project or the agent does not exist (404), or the key may not act as it (403).
 * The server then answers {@code initialize} with that reason rather than starting as if another
 * window held the agent. A server that cannot reach the mesh, or whose agent another window holds,
 * still starts: those pass.
 */
final class StartRefusal {

  private StartRefusal() {}

  /** The reason, one sentence naming what is wrong and what to do; null when the server should start. */
  static String reason(ToolError problem, Gateway gateway) {
    if (!(problem instanceof GatewayException refused)) {
      return null;
    }
    return switch (refused.status()) {
      case 401 -> keyRefused(gateway);
      case 403 -> "this key cannot act as agent '" + gateway.agent() + "' of project '" + gateway.meshwork() + "': "
          + refused.getMessage() + ". Start the MCP server with the project and agent the key was made for";
      case 404 -> notFound(gateway);
      default -> null;
    };
  }

  private static String keyRefused(Gateway gateway) {
    return "the MeshCode server at " + gateway.server() + " refused the API key: it is unknown or revoked. Run meshcode login "
        + "with a current key (a guest asks the project's owner for a new invite and runs meshcode join), then restart this MCP server";
  }

  /** The agent's project, or the agent in it, does not exist: say which, with the closest names. */
  private static String notFound(Gateway gateway) {
    List<String> agents;
    try {
      agents = names(gateway.get(gateway.meshworkPath()).path("agents"));
    } catch (GatewayException e) {
      if (e.status() != 404) {
        return "agent '" + gateway.agent() + "' not found in project '" + gateway.meshwork() + "'";
      }
      return "project '" + gateway.meshwork() + "' not found." + projects(gateway);
    }
    if (agents.contains(gateway.agent())) {
      // It exists, but not within this key's reach: a guest key acts only as the agent it was made for.
      return "this key cannot act as agent '" + gateway.agent() + "' of project '" + gateway.meshwork()
          + "': a guest key acts only as the agent it was invited to. Start the MCP server with that agent";
    }
    String hint = agents.isEmpty() ? " It has no agents yet."
        : Suggestions.closest(gateway.agent(), agents).isEmpty() ? " Its agents: " + String.join(", ", agents) + "."
        : Suggestions.didYouMean(gateway.agent(), agents);
    return "agent '" + gateway.agent() + "' not found in project '" + gateway.meshwork() + "'." + hint
        + " Run meshcode go " + gateway.agent() + " --project " + gateway.meshwork() + " to add it (owner keys)";
  }

  private static String projects(Gateway gateway) {
    try {
      List<String> names = names(gateway.get("/v1/meshworks").path("meshworks"));
      String close = Suggestions.didYouMean(gateway.meshwork(), names);
      return close.isEmpty() && !names.isEmpty() ? " Your projects: " + String.join(", ", names) + "." : close;
    } catch (GatewayException e) {
      return "";
    }
  }

  private static List<String> names(tools.jackson.databind.JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(item -> {
      String name = Json.text(item, "name");
      if (name != null) {
        names.add(name);
      }
    });
    return names;
  }
}
