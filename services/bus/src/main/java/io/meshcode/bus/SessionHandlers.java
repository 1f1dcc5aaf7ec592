package io.meshcode.bus;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Sessions of an agent: reading and validating requests, shaping answers. */
final class SessionHandlers {

  static final int CLIENT_MAX = 80;

  private final SessionRepository sessions;
  private final BusSettings settings;

  SessionHandlers(SessionRepository sessions, BusSettings settings) {
    this.sessions = sessions;
    this.settings = settings;
  }

  Future<Reply> open(RoutingContext ctx, AgentSlot slot) {
    JsonInput body = JsonInput.of(ctx, "take_over", "client", "session_id");
    String client = body.optionalString("client", CLIENT_MAX).filter(c -> !c.isBlank()).orElse(null);
    boolean takeOver = body.optionalBoolean("take_over").orElse(false);
    UUID chosen = body.optionalString("session_id", 36)
        .map(id -> Sql.uuid(id).orElseThrow(() -> ApiException.badRequest("'session_id' must be a session id of your choosing (a UUID)")))
        .orElse(null);
    return sessions.open(slot, takeOver, client, InternalAuthHandler.principal(ctx).account(), chosen).map(opened -> Reply.created(new JsonObject()
        .put("session_id", opened.id().toString())
        .put("agent", opened.agent())
        .put("lease_seconds", settings.leaseSeconds())
        .put("expires_at", Sql.iso(opened.expiresAt()))
        .put("took_over", opened.tookOver())));
  }

  Future<Reply> heartbeat(RoutingContext ctx, AgentSlot slot) {
    UUID session = sessionId(ctx);
    boolean busy = JsonInput.of(ctx, "busy").optionalBoolean("busy").orElse(false);
    return sessions.heartbeat(slot, session, busy).map(lease -> Reply.ok(new JsonObject()
        .put("session_id", lease.sessionId().toString())
        .put("expires_at", Sql.iso(lease.expiresAt()))
        .put("status", lease.status())));
  }

  /**
   * The owner ends the agent's session that member {@code ?member=} opened (the gateway, once it
   * revoked that member): 204 whether or not one was open.
   */
  Future<Reply> endForMember(RoutingContext ctx, AgentSlot slot) {
    if (InternalAuthHandler.principal(ctx).kind() != KeyKind.OWNER) {
      throw ApiException.forbidden("only the meshwork's owner ends a member's sessions");
    }
    String member = ctx.queryParams().get("member");
    if (member == null || Sql.uuid(member).isEmpty()) {
      throw ApiException.badRequest("'member' must be a member's id (a UUID)");
    }
    return sessions.endOpenedBy(slot, member).map(ended -> Reply.noContent());
  }

  /**
   * 204 while the session the gateway vouched for holds the agent; otherwise as a send in it is
   * answered (409 {@code taken_over}, 410 {@code gone}, 404). A request vouching no session is 400.
   */
  Future<Reply> current(RoutingContext ctx, AgentSlot slot) {
    UUID session = VouchedWindow.session(InternalAuthHandler.principal(ctx));
    if (session == null) {
      throw ApiException.badRequest("no window session was named: send the Meshcode-Session header");
    }
    return sessions.requireHolds(slot, session).map(v -> Reply.noContent());
  }

  Future<Reply> close(RoutingContext ctx, AgentSlot slot) {
    return sessions.close(slot, sessionId(ctx)).map(v -> Reply.noContent());
  }

  private static UUID sessionId(RoutingContext ctx) {
    return Sql.uuid(ctx.pathParam("session")).orElseThrow(SessionRepository::unknownSession);
  }
}
