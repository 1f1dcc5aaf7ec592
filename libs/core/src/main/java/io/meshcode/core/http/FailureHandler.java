package io.meshcode.core.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every failure as {@link ErrorBody}. Client errors are logged at debug, server errors with
 * their exception and the client's address ({@link ClientAddress}); no stack trace ever reaches a client.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final String service;

  public FailureHandler(String service) {
    this.service = service;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String code;
    String message;
    if (failure instanceof ApiException api) {
      status = api.status();
      code = api.code();
      message = api.getMessage();
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      code = ErrorBody.codeFor(status);
      message = http.getPayload() != null ? http.getPayload() : ErrorBody.defaultMessage(status);
    } else if (failure instanceof DecodeException) {
      status = 400;
      code = "bad_request";
      message = "the request body is not valid JSON";
    } else if (failure == null || (ctx.statusCode() >= 400 && ctx.statusCode() < 500)) {
      // ctx.fail(status[, cause]) from a handler such as the body limit or request validation.
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      code = ErrorBody.codeFor(status);
      message = failure != null && failure.getMessage() != null ? failure.getMessage() : ErrorBody.defaultMessage(status);
    } else if (Unavailable.isDatabaseDown(failure)) {
      status = 503;
      code = "unavailable";
      message = "the database is unavailable; try again shortly";
    } else {
      status = 500;
      code = "internal";
      message = "internal error";
    }

    // The client's address as ClientAddress resolved it (behind a trusted proxy, the forwarded one).
    String from = ClientAddress.of(ctx);
    try (var requestId = RequestIdHandler.inMdc(ctx)) {
      if (status == 503) {
        // Expected while PostgreSQL restarts: one line, no stack trace.
        LOG.warn("503 {} {} from {} in {}: {}", ctx.request().method(), LogSafe.path(ctx),
            from, service, failure == null ? "unavailable" : failure.toString());
      } else if (status >= 500) {
        LOG.error("{} {} {} from {} failed in {}", status, ctx.request().method(), LogSafe.path(ctx), from, service, failure);
      } else {
        LOG.debug("{} {} {} from {}: {}", status, ctx.request().method(), LogSafe.path(ctx), from, message);
      }
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(ErrorBody.of(code, message).encode());
  }
}
