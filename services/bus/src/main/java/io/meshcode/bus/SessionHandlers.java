package io.meshcode.bus;

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
    JsonInput body = JsonInput.of(ctx, "take_over", "client");
    String client = body.optionalString("client", CLIENT_MAX).filter(c -> !c.isBlank()).orElse(null);
    boolean takeOver = body.optionalBoolean("take_over").orElse(false);
    return sessions.open(slot, takeOver, client).map(opened -> Reply.created(new JsonObject()
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

  Future<Reply> close(RoutingContext ctx, AgentSlot slot) {
    return sessions.close(slot, sessionId(ctx)).map(v -> Reply.noContent());
  }

  private static UUID sessionId(RoutingContext ctx) {
    return Sql.uuid(ctx.pathParam("session")).orElseThrow(SessionRepository::unknownSession);
  }
}
