package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns the presented API key into the caller's account. Every request looks the key up, so a
 * revoked key fails on the very next request.
 */
final class KeyAuthHandler implements Handler<RoutingContext> {

  private static final String ACCOUNT = "meshcode.account";

  private final AccountRepository accounts;

  KeyAuthHandler(AccountRepository accounts) {
    this.accounts = accounts;
  }

  static Account account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      ctx.fail(ApiException.unauthorized("an API key is required: send Authorization: Bearer mc_…"));
      return;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(ApiException.unauthorized("the Authorization header must be: Bearer <key>"));
      return;
    }
    String key = header.substring(7).trim();
    if (!SecretKeys.isWellFormed(key, SecretKeys.OWNER)) {
      ctx.fail(ApiException.unauthorized("the API key is malformed"));
      return;
    }
    accounts.findByOwnerKey(key).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        ctx.fail(ApiException.unauthorized("the API key is unknown or revoked"));
      } else {
        ctx.put(ACCOUNT, result.result().get());
        ctx.next();
      }
    });
  }
}
