package io.meshcode.core.auth;

import io.meshcode.core.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards a service's API: a request without a valid internal token from the gateway is 401, so
 * nothing reaches a service by going around the edge.
 */
public final class InternalAuthHandler implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "meshcode.principal";

  private final InternalTokens tokens;

  public InternalAuthHandler(InternalTokens tokens) {
    this.tokens = tokens;
  }

  public static InternalPrincipal principal(RoutingContext ctx) {
    InternalPrincipal principal = ctx.get(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("route is not behind InternalAuthHandler");
    }
    return principal;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(ApiException.unauthorized("this service answers only requests forwarded by the gateway"));
      return;
    }
    tokens.verify(header.substring(7).trim()).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(PRINCIPAL, result.result());
        ctx.next();
      } else {
        ctx.fail(ApiException.unauthorized("the internal token is invalid or expired"));
      }
    });
  }
}
