package io.meshcode.bus;

import static io.meshcode.core.http.MeshworkAccess.READ;
import static io.meshcode.core.http.MeshworkAccess.WRITE;

import io.meshcode.core.http.ScopedRoutes;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * Every route of the bus service, with who may call it ({@link ScopedRoutes}): the meshwork in the
 * caller's token, and on an agent route only the agent the token names.
 */
final class BusRoutes {

  private BusRoutes() {}

  static void mount(Router api, Pool pool, BusSettings settings, StatusReports reports, Runnable onMessageAccepted) {
    SessionHandlers sessions = new SessionHandlers(new SessionRepository(pool, settings, reports), settings);
    PresenceHandlers presence = new PresenceHandlers(new PresenceRepository(pool, settings, reports));
    MessageHandlers messages = new MessageHandlers(
        new MessageRepository(pool, settings, onMessageAccepted));
    ScopedRoutes<AgentSlot> scoped = new ScopedRoutes<>(AgentSlot::new);

    String agent = "/meshworks/:mw/agents/:agent";
    api.post(agent + "/sessions").handler(scoped.agent(WRITE, sessions::open));
    api.delete(agent + "/sessions").handler(scoped.agent(WRITE, sessions::endForMember));
    // Whether the window's session (vouched by the gateway) still holds the agent: asked before its memory and task calls.
    api.get(agent + "/sessions/current").handler(scoped.agent(READ, sessions::current));
    api.put(agent + "/sessions/:session").handler(scoped.agent(WRITE, sessions::heartbeat));
    api.delete(agent + "/sessions/:session").handler(scoped.agent(WRITE, sessions::close));
    api.post(agent + "/activity").handler(scoped.agent(WRITE, presence::activity));
    api.get("/meshworks/:mw/presence").handler(scoped.meshwork(READ, presence::list));
    api.get("/meshworks/:mw/log").handler(scoped.meshwork(READ, new ReplayLogHandlers(new ReplayLogRepository(pool))::list));

    // What a window does in its session is refused once the session no longer holds the agent:
    // a send, a wait's read and an acknowledgement check it in their own statement (SessionCheck).
    api.post(agent + "/messages").handler(scoped.agent(WRITE, messages::send));
    api.post("/meshworks/:mw/messages").handler(scoped.meshwork(WRITE, messages::sendAsOwner));
    api.get("/meshworks/:mw/messages/:id").handler(scoped.meshwork(READ, messages::find));
    api.get(agent + "/inbox").handler(scoped.agent(READ, messages::peek));
    api.get(agent + "/inbox/count").handler(scoped.agent(READ, messages::count));
    api.post(agent + "/inbox/take").handler(scoped.agent(WRITE, messages::take));
    api.post(agent + "/ack").handler(scoped.agent(WRITE, messages::ack));
  }
}
