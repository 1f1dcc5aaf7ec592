package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Names;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers an agent's MCP server sends on each request, turned into {@link VouchedWindow}
 * facts of the internal token: {@code Meshcode-Session} (the session the window holds; the bus
 * refuses a send, a wait's read or an acknowledgement made in a session that no longer holds the
 * agent) and {@code Meshcode-Agent} (the agent a window on its owner's key acts as: memory it
 * writes is the agent's, not the owner's). An owner may act as any of its agents anyway, so the
 * agent is taken as said; a guest's is its key's, so a guest's {@code Meshcode-Agent} is ignored.
 * A malformed header is 400 and nothing is forwarded.
 */
final class WindowHeaders {

  static final String SESSION = "Meshcode-Session";
  static final String AGENT = "Meshcode-Agent";

  private WindowHeaders() {}

  /** {@code principal} with the window's facts added to what it vouches for; itself when the request has neither header. */
  static InternalPrincipal vouch(RoutingContext ctx, InternalPrincipal principal) {
    String session = ctx.request().getHeader(SESSION);
    String agent = principal.kind() == KeyKind.OWNER ? ctx.request().getHeader(AGENT) : null;
    if (session == null && agent == null) {
      return principal;
    }
    JsonObject facts = principal.vouched() == null ? new JsonObject() : principal.vouched().copy();
    if (session != null) {
      facts.put(VouchedWindow.SESSION_CLAIM, Sql.uuid(session)
          .orElseThrow(() -> ApiException.badRequest("the " + SESSION + " header must be a session id (a UUID)")).toString());
    }
    if (agent != null) {
      if (!Names.NAME.matcher(agent).matches()) {
        throw ApiException.badRequest("the " + AGENT + " header must be an agent's name: it " + Names.RULE);
      }
      facts.put(VouchedWindow.AGENT_CLAIM, agent);
    }
    return principal.vouching(facts);
  }
}
