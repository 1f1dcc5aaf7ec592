package io.meshcode.core.auth;

import java.util.UUID;

/**
 * What an agent's MCP server (its editor window) says of itself on each request, as the gateway
 * vouches for it in the internal token: the session the window holds (the bus refuses what the
 * window does once that session no longer holds the agent), and, for a window running on its
 * owner's key, the agent it acts as (the memory service records that agent as the writer, not
 * the owner).
 */
public final class VouchedWindow {

  /** The token's vouched claim holding the window's session id (a UUID). */
  public static final String SESSION_CLAIM = "session";
  /** The token's vouched claim holding the agent an owner's key acts as. */
  public static final String AGENT_CLAIM = "acting_agent";

  private VouchedWindow() {}

  /** The session the request was made in, or null (made in none, or not a UUID). */
  public static UUID session(InternalPrincipal caller) {
    String text = caller.vouched() == null ? null : caller.vouched().getString(SESSION_CLAIM);
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The agent an owner's request acts as, or null. */
  public static String actingAgent(InternalPrincipal caller) {
    return caller.vouched() == null ? null : caller.vouched().getString(AGENT_CLAIM);
  }
}
