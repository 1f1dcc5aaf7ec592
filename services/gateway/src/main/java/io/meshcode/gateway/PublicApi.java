package io.meshcode.gateway;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.ClientAddress;
import io.meshcode.core.http.StrictDecoding;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Map;

/**
 * The public API, built from its OpenAPI document: the operations are the document's, and every
 * operation gets exactly one handler (the gateway's own, or the proxy to the service its tag
 * names), so the two cannot drift apart. One route takes every request under /v1: it finds the
 * request's operation ({@link OperationIndex}), checks the caller's key, validates the request
 * against the document ({@link RequestValidation}) and runs the operation's handler.
 */
final class PublicApi {

  static final String CONTRACT = "openapi/meshcode.yaml";
  static final String GATEWAY_TAG = "gateway";
  /** Every path of the document starts with this. */
  static final String PREFIX = "/v1/";
  private static final String CALLER = "meshcode.caller";
  private static final String OPERATION = "meshcode.operation";

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
   * Each operation's handler by operationId: the gateway's own ({@code local}) for the operations
   * tagged {@value #GATEWAY_TAG}, else the forwarding to the service the tag names.
   *
   * @throws IllegalStateException if an operation has none
   */
  static Map<String, Handler<RoutingContext>> handlers(
      OpenAPIContract contract, Map<String, Handler<RoutingContext>> local, Forwarding forwarding) {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    for (Operation operation : contract.operations()) {
      String tag = operation.getTags().isEmpty() ? "" : operation.getTags().get(0);
      Handler<RoutingContext> handler = GATEWAY_TAG.equals(tag)
          ? local.get(operation.getOperationId())
          : forwarding.handlerFor(operation, tag);
      if (handler == null) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " (tag '" + tag + "') has no handler");
      }
      handlers.put(operation.getOperationId(), handler);
    }
    return handlers;
  }

  /** The route of every request under {@value #PREFIX}, on {@code root}, with {@code handlers} by operationId. */
  static void mount(
      Router root, Vertx vertx, OpenAPIContract contract, int maxBodyBytes, KeyAuthenticator keys, RateLimiter limiter,
      KeyFailureLimit keyFailures, Map<String, Handler<RoutingContext>> handlers, Handler<RoutingContext> failures) {
    OperationIndex operations = OperationIndex.of(contract);
    RequestValidation validation = new RequestValidation(vertx, contract);
    Map<String, Handler<RoutingContext>> validators = new HashMap<>();
    contract.operations().forEach(operation -> validators.put(operation.getOperationId(), validation.handlerFor(operation)));
    // Keys are checked by authenticate(), which knows all three kinds of key; requests are
    // validated by RequestValidation, with validators built once.
    // Its own route: Vert.x wants a route's body handler before any other of that route.
    root.route(PREFIX + "*").handler(JsonBodies::requireJsonType);
    root.route(PREFIX + "*")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(ctx -> authenticate(ctx, operations, keys, limiter, keyFailures))
        .handler(JsonBodies::requireStrictJson)
        .handler(ctx -> validators.get(operation(ctx).getOperationId()).handle(ctx))
        .handler(ctx -> handlers.get(operation(ctx).getOperationId()).handle(ctx))
        .failureHandler(new ValidationErrors())
        .failureHandler(failures);
  }

  private static Operation operation(RoutingContext ctx) {
    return ctx.get(OPERATION);
  }

  /**
   * Finds the request's operation and its path parameters, then checks the key (public operations,
   * {@code security: []}, still count against a per-address limit).
   */
  private static void authenticate(
      RoutingContext ctx, OperationIndex operations, KeyAuthenticator keys, RateLimiter limiter, KeyFailureLimit keyFailures) {
    OperationIndex.Found found;
    try {
      found = operations.find(ctx.normalizedPath());
      requireUtf8Query(ctx.request().query());
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest("the path or query is not valid percent-encoded UTF-8: " + e.getMessage()));
      return;
    }
    if (found == null) {
      ctx.fail(ApiException.notFound("no such path: " + ctx.normalizedPath()));
      return;
    }
    Operation operation = found.path().operation(ctx.request().method());
    if (operation == null) {
      ctx.fail(new ApiException(405, "method_not_allowed", ctx.request().method() + " is not allowed on this path"));
      return;
    }
    ctx.put(OPERATION, operation);
    ctx.pathParams().putAll(found.parameters());
    boolean isPublic = operation.getSecurityRequirements().isEmpty();
    String address = ClientAddress.of(ctx);
    if (isPublic) {
      limitThenNext(ctx, limiter, "address:" + address);
      return;
    }
    if (ctx.request().headers().getAll("Authorization").size() > 1) {
      // which one counts is a guess another proxy may make differently: a revoked key must not ride beside a good one
      ctx.fail(ApiException.badRequest("send one Authorization header, not several"));
      return;
    }
    String authorization = ctx.request().getHeader("Authorization");
    long wait = keyFailures.retryAfter(address, authorization, System.currentTimeMillis());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      ctx.fail(new ApiException(429, "rate_limited",
          "too many requests with unknown or malformed keys from this address; retry in " + wait + " s"));
      return;
    }
    keys.authenticate(authorization, ctx.request().getHeader("User-Agent")).onComplete(result -> {
      if (result.failed()) {
        if (result.cause() instanceof ApiException refused && refused.status() == 401) {
          keyFailures.failed(address, System.currentTimeMillis());
        }
        ctx.fail(result.cause());
        return;
      }
      keyFailures.succeeded(authorization, System.currentTimeMillis());
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

  /** Every name and value of the query decodes as UTF-8: a lenient decoder would make U+FFFD of what does not. */
  private static void requireUtf8Query(String query) {
    if (query == null || query.indexOf('%') < 0) {
      return;
    }
    for (String pair : query.split("&")) {
      StrictDecoding.percentDecoded(pair);
    }
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
