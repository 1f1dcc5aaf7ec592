package io.meshcode.invites;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Every route of the invites service, with who may call it. A meshwork in a path is addressed by
 * name and looked up in the caller's scope first (404 when out of reach); the kind of key is
 * checked after that (403).
 */
final class InvitesRoutes {

  /** A route outside any meshwork. */
  @FunctionalInterface
  interface Action {
    Future<Reply> run(RoutingContext ctx, InternalPrincipal caller);
  }

  /** A route under {@code /meshworks/:mw}, once the meshwork is found in the caller's scope. */
  @FunctionalInterface
  interface MeshworkAction {
    Future<Reply> run(RoutingContext ctx, Meshwork meshwork);
  }

  private final Scope scope;

  private InvitesRoutes(Scope scope) {
    this.scope = scope;
  }

  static void mount(Router api, Pool pool, InvitesSettings settings) {
    MeshworkRepository meshworkRepository = new MeshworkRepository(pool);
    InvitesRoutes routes = new InvitesRoutes(new Scope(meshworkRepository));
    AgentRepository agentRepository = new AgentRepository(pool);
    MeshworkHandlers meshworks =
        new MeshworkHandlers(meshworkRepository, agentRepository, new LinkRepository(pool), routes.scope);
    RecipientHandlers recipients = new RecipientHandlers(agentRepository);
    InviteHandlers invites = new InviteHandlers(new InviteRepository(pool), new JoinRepository(pool), settings);
    MemberHandlers members = new MemberHandlers(new MemberRepository(pool), new SpectatorRepository(pool), settings);

    api.post("/meshworks").handler(routes.call(Access.OWNER, meshworks::create));
    api.get("/meshworks").handler(routes.call(Access.READ, meshworks::list));
    api.get("/meshworks/:mw").handler(routes.in(Access.READ, meshworks::get));
    api.delete("/meshworks/:mw").handler(routes.in(Access.OWNER, meshworks::delete));

    api.post("/meshworks/:mw/agents").handler(routes.in(Access.OWNER, meshworks::addAgent));
    api.get("/meshworks/:mw/agents").handler(routes.in(Access.READ, meshworks::listAgents));
    api.get("/meshworks/:mw/agents/:agent").handler(routes.in(Access.READ, meshworks::getAgent));
    api.patch("/meshworks/:mw/agents/:agent").handler(routes.in(Access.OWNER, meshworks::updateAgent));
    api.delete("/meshworks/:mw/agents/:agent").handler(routes.in(Access.OWNER, meshworks::removeAgent));
    // Internal: the gateway asks, as the sender, before it hands a message to the bus.
    api.post("/meshworks/:mw/agents/:agent/recipients").handler(routes.in(Access.AGENT, recipients::resolve));
    // Internal: the same for the owner sending as a person (the dashboard), before sendMessageAsOwner.
    api.post("/meshworks/:mw/recipients").handler(routes.in(Access.OWNER, recipients::resolveForOwner));

    api.post("/meshworks/:mw/links").handler(routes.in(Access.OWNER, meshworks::link));
    api.get("/meshworks/:mw/links").handler(routes.in(Access.READ, meshworks::links));
    api.delete("/meshworks/:mw/links/:target").handler(routes.in(Access.OWNER, meshworks::unlink));

    api.post("/meshworks/:mw/invites").handler(routes.in(Access.OWNER, invites::create));
    api.get("/meshworks/:mw/invites").handler(routes.in(Access.OWNER, invites::list));
    api.delete("/meshworks/:mw/invites/:id").handler(routes.in(Access.OWNER, invites::revoke));
    api.post("/join").handler(routes.call(Access.SYSTEM, invites::join));

    api.get("/meshworks/:mw/members").handler(routes.in(Access.OWNER, members::list));
    api.delete("/meshworks/:mw/members/:id").handler(routes.in(Access.OWNER, members::revoke));

    api.post("/meshworks/:mw/spectator-links").handler(routes.in(Access.OWNER, members::createSpectatorLink));
    api.get("/meshworks/:mw/spectator-links").handler(routes.in(Access.OWNER, members::listSpectatorLinks));
    api.delete("/meshworks/:mw/spectator-links/:id").handler(routes.in(Access.OWNER, members::revokeSpectatorLink));

    api.post("/keys/resolve").handler(routes.call(Access.SYSTEM, members::resolve));
  }

  private Handler<RoutingContext> call(Access access, Action action) {
    return ctx -> {
      try {
        InternalPrincipal caller = InternalAuthHandler.principal(ctx);
        access.require(caller);
        action.run(ctx, caller).onComplete(result -> answer(ctx, result.succeeded(), result.result(), result.cause()));
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    };
  }

  private Handler<RoutingContext> in(Access access, MeshworkAction action) {
    return call(Access.READ, (ctx, caller) -> {
      String name = Names.pathName(ctx.pathParam("mw"), "meshwork");
      return scope.meshwork(caller, name).compose(meshwork -> {
        access.require(caller);
        return action.run(ctx, meshwork);
      }).recover(failure -> Sql.hasState(failure, Sql.FOREIGN_KEY_VIOLATION)
          // The meshwork was deleted while the request ran.
          ? Future.failedFuture(Scope.notFound(name))
          : Future.failedFuture(failure));
    });
  }

  private static void answer(RoutingContext ctx, boolean succeeded, Reply reply, Throwable failure) {
    if (succeeded) {
      reply.send(ctx);
    } else {
      ctx.fail(failure);
    }
  }
}
