package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing a browser into the dashboard without a key in any URL: the CLI mints a one-time ticket
 * with its key and opens {@code <public url>/dashboard#ticket=…} (a fragment never reaches a
 * server log); the dashboard redeems it once, within 60 s, for a dashboard session bound to that
 * key, and ends the session when its user signs out.
 */
final class TicketRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(TicketRoutes.class);
  private static final int MAX_TICKET = 200;

  private final TicketRepository tickets;
  private final DashboardSessions sessions;
  private final KeyAuthenticator keys;
  private final Onboarding onboarding;
  private final URI publicUrl;

  TicketRoutes(TicketRepository tickets, DashboardSessions sessions, KeyAuthenticator keys, Onboarding onboarding, URI publicUrl) {
    this.tickets = tickets;
    this.onboarding = onboarding;
    this.sessions = sessions;
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  Map<String, Handler<RoutingContext>> byOperation() {
    return Map.of("createTicket", this::create, "redeemTicket", this::redeem, "endSession", this::endSession);
  }

  /** Any kind of key (not a session): the ticket stands for exactly the caller and key that minted it. */
  private void create(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    tickets.mint(caller, SecretKeys.hash(PublicApi.presentedKey(ctx))).onSuccess(minted -> {
      String base = publicUrl.toString().replaceAll("/+$", "");
      JsonObject body = new JsonObject()
          .put("ticket", minted.ticket())
          .put("url", base + "/dashboard#ticket=" + minted.ticket())
          .put("expires_at", minted.expiresAt().toString());
      ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(body.encode());
    }).onFailure(ctx::fail);
  }

  /**
   * Opens a session and answers it with who it stands for. The key behind the ticket is checked
   * as the session's first request would check it: a key revoked since the mint signs nobody in.
   */
  private void redeem(RoutingContext ctx) {
    String ticket = JsonInput.of(ctx, "ticket").requiredString("ticket", MAX_TICKET);
    if (!SecretKeys.isWellFormed(ticket, TicketRepository.PREFIX)) {
      throw invalid("the ticket is unknown, expired or already used; run meshcode dashboard again");
    }
    sessions.open(ticket).compose(opened -> {
      if (opened.isEmpty()) {
        return Future.failedFuture(invalid("the ticket is unknown, expired or already used; run meshcode dashboard again"));
      }
      String session = opened.get().session();
      return keys.authenticate("Bearer " + session)
          .compose(onboarding::me)
          .map(me -> new JsonObject()
              .put("session", session)
              .put("expires_at", opened.get().expiresAt().toString())
              .put("me", me))
          .recover(failure -> sessions.end(session)
              .onFailure(e -> LOG.warn("ending a dashboard session whose sign-in failed: {}", e.getMessage()))
              .transform(ignored -> Future.failedFuture(failure instanceof ApiException api && api.status() == 401
                  ? invalid("the key that minted the ticket has been revoked since")
                  : failure)));
    }).onSuccess(body -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  /** Signs the dashboard out: the session in the Authorization header ends on every replica at once. */
  private void endSession(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    if (!caller.dashboardSession()) {
      throw ApiException.forbidden("this ends a dashboard session, and the request carries a key, not a session");
    }
    sessions.end(PublicApi.presentedKey(ctx)).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private static ApiException invalid(String message) {
    return new ApiException(404, "ticket_invalid", message);
  }
}
