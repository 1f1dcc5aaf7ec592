package io.meshcode.gateway;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.RequestIdHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/stream}, upgraded to a WebSocket: the live feed of meshworks' replay logs for the
 * dashboard, the CLI's board and MCP servers (protocol in docs/STREAM.md). A key in the
 * Authorization header is checked before the upgrade (401 without one that holds); without the
 * header, the first frame must carry it, since a browser cannot set headers on a WebSocket.
 */
final class StreamEndpoint implements Handler<RoutingContext>, Stream.Gateway {

  static final String PATH = "/v1/stream";
  private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);

  private final Vertx vertx;
  private final KeyAuthenticator keys;
  private final ServiceProxy proxy;
  private final URI invites;
  private final URI bus;
  private final StreamHub hub;
  private final int queueBytes;

  StreamEndpoint(Vertx vertx, KeyAuthenticator keys, ServiceProxy proxy, URI invites, URI bus, StreamHub hub, int queueBytes) {
    this.vertx = vertx;
    this.keys = keys;
    this.proxy = proxy;
    this.invites = invites;
    this.bus = bus;
    this.hub = hub;
    this.queueBytes = queueBytes;
  }

  @Override
  public int queueBytes() {
    return queueBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      ctx.fail(new ApiException(426, "upgrade_required", "this is a WebSocket endpoint: connect with Upgrade: websocket"));
      return;
    }
    String authorization = request.getHeader("Authorization");
    String requestId = RequestIdHandler.requestId(ctx);
    if (authorization == null) {
      upgrade(ctx, requestId, null, null);
      return;
    }
    request.pause();
    keys.authenticate(authorization).onComplete(result -> {
      if (result.failed()) {
        request.resume();
        ctx.fail(result.cause());
        return;
      }
      upgrade(ctx, requestId, authorization, result.result());
    });
  }

  private void upgrade(RoutingContext ctx, String requestId, String authorization, Caller caller) {
    ctx.request().toWebSocket()
        .onSuccess(ws -> new Stream(vertx, ws, hub, this, requestId, authorization, caller).start())
        .onFailure(failure -> LOG.debug("[{}] WebSocket upgrade failed: {}", requestId, failure.getMessage()));
  }

  @Override
  public Future<Caller> authenticate(String authorization) {
    return keys.authenticate(authorization);
  }

  @Override
  public Future<JsonObject> meshwork(Stream stream, Caller caller, String name) {
    return proxy.call(stream.requestId(), Forwarding.INVITES, HttpMethod.GET, invites, "/v1/meshworks/" + name,
        caller.principal(), null).compose(StreamEndpoint::ok);
  }

  @Override
  public Subscription.LogReader logReader() {
    return (subscription, after, limit) -> {
      String query = "?after=" + after + "&limit=" + limit
          + (subscription.agent() == null ? "" : "&agent=" + URLEncoder.encode(subscription.agent(), StandardCharsets.UTF_8));
      String path = "/v1/meshworks/" + subscription.meshwork() + "/log" + query;
      return proxy.call("stream", Forwarding.BUS, HttpMethod.GET, bus, path, subscription.principal(), null).compose(StreamEndpoint::ok);
    };
  }

  /** A service's 200 body, or its error as the failure to tell the client. */
  private static Future<JsonObject> ok(HttpResponse<Buffer> response) {
    if (response.statusCode() == 200) {
      return Future.succeededFuture(response.bodyAsJsonObject());
    }
    JsonObject error = null;
    try {
      error = response.bodyAsJsonObject().getJsonObject("error");
    } catch (RuntimeException e) {
      // not the error shape: answered below
    }
    return Future.failedFuture(error == null
        ? new ApiException(502, "bad_gateway", "a service answered " + response.statusCode())
        : new ApiException(response.statusCode(), error.getString("code"), error.getString("message")));
  }
}
