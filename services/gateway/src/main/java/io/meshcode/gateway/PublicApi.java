package io.meshcode.gateway;

import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Map;

/**
 * The public API, built from its OpenAPI document: every route comes from an operation of the
 * document, and every operation gets exactly one handler (the gateway's own, or the proxy to the
 * service its tag names), so the two cannot drift apart. Requests are validated against the
 * document ({@link RequestValidation}) before any handler runs.
 */
final class PublicApi {

  static final String CONTRACT = "openapi/meshcode.yaml";
  static final String GATEWAY_TAG = "gateway";
  private static final String CALLER = "meshcode.caller";

  private PublicApi() {}

  static Future<OpenAPIContract> loadContract(Vertx vertx) {
    return OpenAPIContract.from(vertx, CONTRACT);
  }

  static Caller callerOrNull(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      throw ApiException.unauthorized("an API key is required: send Authorization: Bearer <key>");
    }
    return caller;
  }

  /** The key or session the request was authenticated with (call only once it was). */
  static String presentedKey(RoutingContext ctx) {
    return ctx.request().getHeader("Authorization").substring(7).trim();
  }

  /** The gateway's own operations' handlers, by operationId. */
  static Map<String, Handler<RoutingContext>> localHandlers(AccountRoutes accounts, TicketRoutes tickets, WaitHandler wait) {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>(accounts.byOperation());
    handlers.putAll(tickets.byOperation());
    handlers.put(WaitHandler.OPERATION, wait);
    return handlers;
  }

  /**
   * @param local the gateway's own handlers by operationId
   * @param forwarding the handlers of the operations the services own
   */
  static Router build(
      Vertx vertx, OpenAPIContract contract, int maxBodyBytes, KeyAuthenticator keys, RateLimiter limiter,
      Map<String, Handler<RoutingContext>> local, Forwarding forwarding, Handler<RoutingContext> failures) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(BodyHandler.create().setBodyLimit(maxBodyBytes));
    builder.rootHandler(ctx -> authenticate(ctx, contract, keys, limiter));
    ValidationErrors validationErrors = new ValidationErrors();
    RequestValidation validation = new RequestValidation(vertx, contract);
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      String tag = operation.getTags().isEmpty() ? "" : operation.getTags().get(0);
      Handler<RoutingContext> handler = GATEWAY_TAG.equals(tag)
          ? local.get(operation.getOperationId())
          : forwarding.handlerFor(operation, tag);
      if (handler == null) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " (tag '" + tag + "') has no handler");
      }
      // Keys are checked by authenticate() above, which knows all three kinds of key; requests
      // are validated by RequestValidation, with validators built once.
      route.setDoSecurity(false).setDoValidation(false)
          .addHandler(validation.handlerFor(operation)).addHandler(handler).addFailureHandler(validationErrors).addFailureHandler(failures);
    }
    return builder.createRouter();
  }

  /** Public operations ({@code security: []}) still count against a per-address limit. */
  private static void authenticate(RoutingContext ctx, OpenAPIContract contract, KeyAuthenticator keys, RateLimiter limiter) {
    Operation operation = contract.findOperation(ctx.request().path(), ctx.request().method());
    if (operation == null) {
      if (contract.findPath(ctx.request().path()) != null) {
        ctx.fail(new ApiException(405, "method_not_allowed", ctx.request().method() + " is not allowed on this path"));
      } else {
        ctx.next();
      }
      return;
    }
    boolean isPublic = operation.getSecurityRequirements().isEmpty();
    if (isPublic) {
      String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
      limitThenNext(ctx, limiter, "address:" + address);
      return;
    }
    keys.authenticate(ctx.request().getHeader("Authorization")).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      Caller caller = result.result();
      if (caller.dashboardSession() && DashboardSessions.REFUSED_OPERATIONS.contains(operation.getOperationId())) {
        ctx.fail(ApiException.forbidden("a dashboard session cannot create tickets, keys or accounts, so that a stolen one "
            + "cannot outlive itself; use a key (the meshcode command) for this"));
        return;
      }
      ctx.put(CALLER, caller);
      limitThenNext(ctx, limiter, "key:" + caller.keyId());
    });
  }

  private static void limitThenNext(RoutingContext ctx, RateLimiter limiter, String bucket) {
    long retryAfter = limiter.acquire(bucket, System.currentTimeMillis());
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      ctx.fail(new ApiException(429, "rate_limited", "too many requests; retry in " + retryAfter + " s"));
      return;
    }
    ctx.next();
  }
}
