package io.meshcode.gateway;

import io.meshcode.core.MeshcodeVersion;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Map;

/**
 * One-time tickets that sign a browser into the dashboard without a key in any URL: the CLI mints
 * one with its key and opens {@code <public url>/dashboard#ticket=…} (a fragment never reaches a
 * server log); the dashboard redeems it once, within 60 s, and learns who it is for.
 */
final class TicketRoutes {

  private static final int MAX_TICKET = 200;

  private final TicketRepository tickets;
  private final URI publicUrl;

  TicketRoutes(TicketRepository tickets, URI publicUrl) {
    this.tickets = tickets;
    this.publicUrl = publicUrl;
  }

  Map<String, Handler<RoutingContext>> byOperation() {
    return Map.of("createTicket", this::create, "redeemTicket", this::redeem);
  }

  /** Any kind of key: the ticket stands for exactly the caller that minted it. */
  private void create(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    tickets.mint(caller).onSuccess(minted -> {
      String base = publicUrl.toString().replaceAll("/+$", "");
      JsonObject body = new JsonObject()
          .put("ticket", minted.ticket())
          .put("url", base + "/dashboard#ticket=" + minted.ticket())
          .put("expires_at", minted.expiresAt().toString());
      ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(body.encode());
    }).onFailure(ctx::fail);
  }

  private void redeem(RoutingContext ctx) {
    String ticket = JsonInput.of(ctx, "ticket").requiredString("ticket", MAX_TICKET);
    if (!SecretKeys.isWellFormed(ticket, TicketRepository.PREFIX)) {
      throw invalid();
    }
    tickets.redeem(ticket).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(invalid());
        return;
      }
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.json(found.get().describe(MeshcodeVersion.get()));
    }).onFailure(ctx::fail);
  }

  private static ApiException invalid() {
    return new ApiException(404, "ticket_invalid", "the ticket is unknown, expired or already used; run meshcode dashboard again");
  }
}
