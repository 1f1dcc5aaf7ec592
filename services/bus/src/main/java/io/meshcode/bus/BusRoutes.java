package io.meshcode.bus;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Every route of the bus service, with who may call it. The meshwork is the one in the caller's
 * token (the gateway checked the path's name against it); its name in the path is only read for
 * being a name. An agent route reaches only the agent the token names.
 */
final class BusRoutes {

  /** A route under {@code /meshworks/:mw}. */
  @FunctionalInterface
  interface MeshworkAction {
    Future<Reply> run(RoutingContext ctx, UUID meshwork);
  }

  /** A route under {@code /meshworks/:mw/agents/:agent}, once the agent is the caller's. */
  @FunctionalInterface
  interface AgentAction {
    Future<Reply> run(RoutingContext ctx, AgentSlot slot);
  }

  private BusRoutes() {}

  static void mount(Router api, Pool pool, BusSettings settings, StatusReports reports, Runnable onMessageAccepted) {
    SessionHandlers sessions = new SessionHandlers(new SessionRepository(pool, settings, reports), settings);
    PresenceHandlers presence = new PresenceHandlers(new PresenceRepository(pool, settings, reports));
    MessageHandlers messages = new MessageHandlers(
        new MessageRepository(pool, settings, onMessageAccepted), new WaitingPresence(pool, reports));

    String agent = "/meshworks/:mw/agents/:agent";
    api.post(agent + "/sessions").handler(agent(Access.WRITE, sessions::open));
    api.put(agent + "/sessions/:session").handler(agent(Access.WRITE, sessions::heartbeat));
    api.delete(agent + "/sessions/:session").handler(agent(Access.WRITE, sessions::close));
    api.post(agent + "/activity").handler(agent(Access.WRITE, presence::activity));
    api.get("/meshworks/:mw/presence").handler(meshwork(Access.READ, presence::list));
    api.get("/meshworks/:mw/log").handler(meshwork(Access.READ, new ReplayLogHandlers(new ReplayLogRepository(pool))::list));

    api.post(agent + "/messages").handler(agent(Access.WRITE, messages::send));
    api.get("/meshworks/:mw/messages/:id").handler(meshwork(Access.READ, messages::find));
    api.get(agent + "/inbox").handler(agent(Access.READ, messages::peek));
    api.get(agent + "/inbox/count").handler(agent(Access.READ, messages::count));
    api.post(agent + "/inbox/take").handler(agent(Access.WRITE, messages::take));
    api.post(agent + "/ack").handler(agent(Access.WRITE, messages::ack));
  }

  private static Handler<RoutingContext> meshwork(Access access, MeshworkAction action) {
    return ctx -> {
      try {
        InternalPrincipal caller = InternalAuthHandler.principal(ctx);
        UUID meshwork = Access.meshwork(caller);
        Names.pathName(ctx.pathParam("mw"), "meshwork");
        access.require(caller);
        action.run(ctx, meshwork).onComplete(result -> {
          if (result.succeeded()) {
            result.result().send(ctx);
          } else {
            ctx.fail(result.cause());
          }
        });
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    };
  }

  private static Handler<RoutingContext> agent(Access access, AgentAction action) {
    return meshwork(access, (ctx, meshwork) -> {
      String agent = Names.pathName(ctx.pathParam("agent"), "agent");
      if (!agent.equals(InternalAuthHandler.principal(ctx).agent())) {
        // Another agent's sessions are out of this caller's reach, as if they did not exist.
        throw ApiException.notFound("no agent named '" + agent + "' within reach");
      }
      return action.run(ctx, new AgentSlot(meshwork, agent));
    });
  }
}
