package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The operations the gateway answers itself: who am I, accounts, and an owner's own keys. */
final class AccountRoutes {

  private static final int MAX_NAME = 80;

  private final AccountRepository accounts;
  private final Onboarding onboarding;
  private final boolean signupEnabled;
  private final Runnable onRevoked;

  /** {@code onRevoked} runs after a key's revocation commits (the gateway wakes its outbox relay). */
  AccountRoutes(AccountRepository accounts, Onboarding onboarding, boolean signupEnabled, Runnable onRevoked) {
    this.accounts = accounts;
    this.onboarding = onboarding;
    this.signupEnabled = signupEnabled;
    this.onRevoked = onRevoked;
  }

  /** Handlers by the operationId the OpenAPI document gives them. */
  Map<String, Handler<RoutingContext>> byOperation() {
    return Map.of(
        "getMe", this::me,
        "createAccount", this::createAccount,
        "signUp", this::signUp,
        "listKeys", this::listKeys,
        "createKey", this::createKey,
        "revokeKey", this::revokeKey);
  }

  private void me(RoutingContext ctx) {
    onboarding.me(PublicApi.caller(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void createAccount(RoutingContext ctx) {
    Caller caller = requireOwner(ctx);
    if (!caller.admin()) {
      throw ApiException.forbidden("only the server's admin account can create accounts");
    }
    String name = JsonInput.of(ctx, "name").requiredString("name", MAX_NAME);
    accounts.createAccount(name).onSuccess(created -> created(ctx, created.toJson())).onFailure(ctx::fail);
  }

  private void signUp(RoutingContext ctx) {
    if (!signupEnabled) {
      throw ApiException.forbidden("sign-up is switched off on this server; ask its admin for an account");
    }
    String name = JsonInput.of(ctx, "name").requiredString("name", MAX_NAME);
    accounts.createAccount(name).onSuccess(created -> created(ctx, created.toJson())).onFailure(ctx::fail);
  }

  private void listKeys(RoutingContext ctx) {
    Caller caller = requireOwner(ctx);
    accounts.listKeys(caller.id()).onSuccess(keys -> ctx.json(new JsonObject().put("keys", keys))).onFailure(ctx::fail);
  }

  private void createKey(RoutingContext ctx) {
    Caller caller = requireOwner(ctx);
    String label = JsonInput.of(ctx, "label").optionalString("label", MAX_NAME).orElse("");
    accounts.createKey(caller.id(), label).onSuccess(key -> created(ctx, key.toJson())).onFailure(ctx::fail);
  }

  private void revokeKey(RoutingContext ctx) {
    Caller caller = requireOwner(ctx);
    accounts.revokeKey(caller.id(), ctx.pathParam("keyId")).onSuccess(found -> {
      if (found) {
        onRevoked.run();
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(ApiException.notFound("you have no key with that id"));
      }
    }).onFailure(ctx::fail);
  }

  private static Caller requireOwner(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    if (caller.kind() != KeyKind.OWNER) {
      throw ApiException.forbidden("this needs an owner key; a " + caller.kind().wireName() + " key cannot do it");
    }
    return caller;
  }

  private static void created(RoutingContext ctx, JsonObject body) {
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
