package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.RequestIdHandler;
import io.meshcode.core.http.RequestTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the services behind the gateway. A forwarded request goes unchanged but for the caller's
 * key, which a service never sees: it gets a short-lived internal token naming the caller instead.
 */
final class ServiceProxy {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final int TIMEOUT_MS = 30_000;
  /** Connections to each service behind the gateway, per gateway instance. */
  static final int UPSTREAM_CONNECTIONS = 64;

  private final InternalTokens tokens;
  private final WebClient client;

  ServiceProxy(Vertx vertx, InternalTokens tokens) {
    this.tokens = tokens;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setKeepAlive(true),
        // Vert.x keeps 5 connections per service by default: far too few for a gateway under load.
        new PoolOptions().setHttp1MaxSize(UPSTREAM_CONNECTIONS));
  }

  /** Forwards the request and relays the answer; a service that cannot be reached is 502. */
  void forward(RoutingContext ctx, String service, URI base, InternalPrincipal principal) {
    send(ctx, service, base, principal).onSuccess(response -> relay(ctx, response, response.body())).onFailure(ctx::fail);
  }

  /**
   * Sends the caller's request (method, normalised path, query, body) to the service at {@code
   * base} on behalf of {@code principal}. Nothing of the request's target but its path and query
   * reaches the URL: the host is always the service's.
   */
  Future<HttpResponse<Buffer>> send(RoutingContext ctx, String service, URI base, InternalPrincipal principal) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0 && ctx.request().method() != HttpMethod.GET;
    return call(ctx, service, ctx.request().method(), base, pathAndQuery(ctx), principal, hasBody ? body : null);
  }

  /** The request's normalised path and its query: all of its target a service is sent. */
  static String pathAndQuery(RoutingContext ctx) {
    String query = ctx.request().query();
    return ctx.normalizedPath() + (query == null ? "" : "?" + query);
  }

  /**
   * A request of the gateway's own making, for the same caller (a look-up before forwarding, say),
   * or the caller's own: either way it carries what the caller's window vouches ({@link WindowHeaders}).
   */
  Future<HttpResponse<Buffer>> call(
      RoutingContext ctx, String service, HttpMethod method, URI base, String path, InternalPrincipal principal, Buffer body) {
    InternalPrincipal caller;
    try {
      caller = WindowHeaders.vouch(ctx, principal);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return call(RequestIdHandler.requestId(ctx), service, method, base, path, caller, body);
  }

  /**
   * The same, outside an HTTP request (for a WebSocket stream, say): {@code requestId} names it in
   * logs. {@code path} (with its query) must be an acceptable {@link RequestTarget}, else the call
   * fails with 400 and nothing is sent.
   */
  Future<HttpResponse<Buffer>> call(
      String requestId, String service, HttpMethod method, URI base, String path, InternalPrincipal principal, Buffer body) {
    String problem = RequestTarget.problem(path);
    if (problem != null) {
      return Future.failedFuture(ApiException.badRequest(problem));
    }
    HttpRequest<Buffer> request = client.request(method, target(base, path))
        .timeout(TIMEOUT_MS)
        .putHeader("Authorization", "Bearer " + tokens.issue(principal))
        .putHeader(RequestIdHandler.HEADER, requestId);
    Future<HttpResponse<Buffer>> sent;
    if (body != null) {
      sent = request.putHeader("Content-Type", "application/json").sendBuffer(body);
    } else {
      sent = request.send();
    }
    return sent.recover(failure -> {
      LOG.warn("[{}] calling {} failed: {}", requestId, service, failure.getMessage());
      return Future.failedFuture(new ApiException(502, "bad_gateway", "the " + service + " service is unavailable; try again shortly"));
    });
  }

  /**
   * Where a request to the service at {@code base} goes: its host, port and scheme, and its path
   * (if it has one) followed by {@code path}. The host is never taken from {@code path}.
   */
  static RequestOptions target(URI base, String path) {
    boolean tls = "https".equalsIgnoreCase(base.getScheme());
    int port = base.getPort() != -1 ? base.getPort() : tls ? 443 : 80;
    String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    return new RequestOptions().setHost(base.getHost()).setPort(port).setSsl(tls).setURI(prefix + path);
  }

  /** Answers the caller with a service's status and {@code body}. */
  static void relay(RoutingContext ctx, HttpResponse<Buffer> response, Buffer body) {
    ctx.response().setStatusCode(response.statusCode());
    String contentType = response.getHeader("Content-Type");
    if (contentType != null) {
      ctx.response().putHeader("Content-Type", contentType);
    }
    if (body == null) {
      ctx.response().end();
    } else {
      ctx.response().end(body);
    }
  }

  void close() {
    client.close();
  }
}
