package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * A window's memory, task and scratchpad calls are refused, like its sends and waits, once the
 * session it names ({@code Meshcode-Session}) no longer holds its agent: the bus owns sessions, so
 * before forwarding such a call the gateway asks the bus, which answers as it does for a send (409
 * {@code taken_over}, 410 {@code gone}, 404 for a session the agent never had). A request made in
 * no session is forwarded as before. The window's agent is a guest key's own; an owner's key names
 * it in {@code Meshcode-Agent}, else it is the agent in the path.
 */
final class WindowSessionCheck {

  private final ServiceProxy proxy;
  private final URI bus;

  WindowSessionCheck(ServiceProxy proxy, URI bus) {
    this.proxy = proxy;
    this.bus = bus;
  }

  /**
   * True to go on and forward; false when the caller was answered (the session no longer holds
   * the agent). {@code scoped} is the caller as the owning service would see it: its meshwork id set.
   */
  Future<Boolean> allows(RoutingContext ctx, Caller caller, InternalPrincipal scoped) {
    String session = ctx.request().getHeader(WindowHeaders.SESSION);
    if (session == null) {
      return Future.succeededFuture(true);
    }
    String agent = windowAgent(ctx, caller);
    if (agent == null) {
      return Future.failedFuture(ApiException.badRequest("a request made in a window's session on an owner's key names "
          + "the window's agent in the " + WindowHeaders.AGENT + " header"));
    }
    // The session header is checked as a UUID by the call itself (WindowHeaders), before anything is sent.
    String path = "/v1/meshworks/" + ctx.pathParam("meshwork") + "/agents/" + agent + "/sessions/current";
    InternalPrincipal asAgent = new InternalPrincipal(scoped.account(), scoped.kind(), scoped.meshwork(), agent);
    return proxy.call(ctx, Forwarding.BUS, HttpMethod.GET, bus, path, asAgent, null).map(held -> {
      if (held.statusCode() == 204) {
        return true;
      }
      ServiceProxy.relay(ctx, held, held.body());
      return false;
    });
  }

  private static String windowAgent(RoutingContext ctx, Caller caller) {
    if (caller.kind() == KeyKind.GUEST) {
      return caller.agent();
    }
    String named = ctx.request().getHeader(WindowHeaders.AGENT);
    return named != null ? named : ctx.pathParam("agent");
  }
}
