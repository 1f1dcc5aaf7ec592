package io.meshcode.gateway;

import io.meshcode.core.MeshcodeVersion;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Who the caller is ({@code GET /v1/me}, and a redeemed ticket's {@code me}), with, for an owner,
 * the steps of the dashboard's onboarding checklist only the server can tell: the key exists (it
 * made this request), and whether the CLI has called with one of the account's keys
 * ({@link CliFirstUse}). The page tells the other steps (an agent online, a message sent) from what
 * it reads anyway. The CLI step is read from the database on every call, never from the caller's
 * key look-up: the dashboard polls while its checklist is open, and the CLI's first call may have
 * landed on another replica a moment ago.
 */
final class Onboarding {

  private final AccountRepository accounts;

  Onboarding(AccountRepository accounts) {
    this.accounts = accounts;
  }

  Future<JsonObject> me(Caller caller) {
    JsonObject me = caller.describe(MeshcodeVersion.get());
    if (caller.kind() != KeyKind.OWNER) {
      return Future.succeededFuture(me);
    }
    return accounts.cliFirstSeen(caller.id()).map(cli -> me.put("onboarding", new JsonObject()
        .put("key_created", true)
        .put("cli_logged_in", cli.isPresent())
        .put("cli_logged_in_at", cli.map(at -> at.toInstant().toString()).orElse(null))));
  }
}
