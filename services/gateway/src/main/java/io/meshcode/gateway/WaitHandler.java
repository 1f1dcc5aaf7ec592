package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * {@code GET …/agents/{agent}/wait}: the long-poll an agent blocks in until a peer sends it
 * something. Scoped like every agent route; a spectator cannot wait (a wait marks messages
 * delivered). Two waits for one agent at once are both answered, with the same messages: a wait
 * never consumes anything, only an acknowledgement does, and a wait may carry one ({@code ack}),
 * which its first read applies.
 */
final class WaitHandler implements Handler<RoutingContext> {

  static final String OPERATION = "waitForMessages";

  private final Vertx vertx;
  private final Forwarding forwarding;
  private final ParkedWaits parked;
  private final ServiceProxy proxy;
  private final URI bus;
  private final GatewaySettings.WaitLimits limits;

  WaitHandler(Vertx vertx, Forwarding forwarding, ParkedWaits parked, ServiceProxy proxy, URI bus, GatewaySettings.WaitLimits limits) {
    this.vertx = vertx;
    this.forwarding = forwarding;
    this.parked = parked;
    this.proxy = proxy;
    this.bus = bus;
    this.limits = limits;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    if (caller.kind() == KeyKind.SPECTATOR) {
      throw ApiException.forbidden("a spectator link is read-only");
    }
    int timeout = timeout(ctx.queryParams().get("timeout"));
    Integer limit = limit(ctx.queryParams().get("limit"));
    String after = ctx.queryParams().get("after");
    String ack = ctx.queryParams().get("ack");
    forwarding.scopeAgent(ctx).onSuccess(scoped -> {
      if (scoped != null) {
        new ParkedWait(vertx, ctx, parked, proxy, bus, scoped, after, ack, limit, timeout).start();
      }
    }).onFailure(ctx::fail);
  }

  private int timeout(String text) {
    if (text == null || text.isEmpty()) {
      return limits.defaultSeconds();
    }
    try {
      int seconds = Integer.parseInt(text);
      if (seconds >= 0 && seconds <= limits.maxSeconds()) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("'timeout' must be a whole number of seconds between 0 and " + limits.maxSeconds());
  }

  private static Integer limit(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'limit' must be a whole number between 1 and 500");
    }
  }
}
