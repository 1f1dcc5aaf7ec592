package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.RequestIdHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to the service that owns it, unchanged but for the caller's key, which the
 * service never sees: it gets a short-lived internal token naming the caller instead.
 */
final class ServiceProxy {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final int TIMEOUT_MS = 30_000;

  private final InternalTokens tokens;
  private final WebClient client;

  ServiceProxy(Vertx vertx, InternalTokens tokens) {
    this.tokens = tokens;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setKeepAlive(true));
  }

  void forward(RoutingContext ctx, String service, URI base, InternalPrincipal principal) {
    HttpRequest<Buffer> request = client.requestAbs(ctx.request().method(), base.resolve(ctx.request().uri()).toString())
        .timeout(TIMEOUT_MS)
        .putHeader("Authorization", "Bearer " + tokens.issue(principal))
        .putHeader(RequestIdHandler.HEADER, RequestIdHandler.requestId(ctx));
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0 && ctx.request().method() != HttpMethod.GET;
    if (hasBody) {
      request.putHeader("Content-Type", "application/json");
    }
    (hasBody ? request.sendBuffer(body) : request.send()).onComplete(result -> {
      if (result.failed()) {
        LOG.warn("[{}] forwarding to {} failed: {}", RequestIdHandler.requestId(ctx), service, result.cause().getMessage());
        ctx.fail(new ApiException(502, "bad_gateway", "the " + service + " service is unavailable; try again shortly"));
        return;
      }
      var response = result.result();
      ctx.response().setStatusCode(response.statusCode());
      String contentType = response.getHeader("Content-Type");
      if (contentType != null) {
        ctx.response().putHeader("Content-Type", contentType);
      }
      Buffer answer = response.body();
      if (answer == null) {
        ctx.response().end();
      } else {
        ctx.response().end(answer);
      }
    });
  }

  void close() {
    client.close();
  }
}
