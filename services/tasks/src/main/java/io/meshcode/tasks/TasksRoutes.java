package io.meshcode.tasks;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.LogSafe;
import io.meshcode.core.http.Reply;
import io.meshcode.core.http.RequestIdHandler;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the tasks service, with who may call it. The meshwork is the one in the caller's
 * token (the gateway checked the path's name against it); its name in the path is only read for
 * being a name. An agent route acts as the agent the token names, and reaches no other.
 */
final class TasksRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(TasksRoutes.class);

  /** A read under {@code /meshworks/:mw}. */
  @FunctionalInterface
  interface MeshworkAction {
    Future<Reply> run(RoutingContext ctx, UUID meshwork);
  }

  /** A write, by the agent it acts as. */
  @FunctionalInterface
  interface ActorAction {
    Future<Reply> run(RoutingContext ctx, Actor actor);
  }

  private TasksRoutes() {}

  static void mount(Router api, Pool pool, Runnable onCommit) {
    TaskHandlers tasks = new TaskHandlers(new TaskRepository(pool, onCommit));
    ReservationHandlers reservations = new ReservationHandlers(new ReservationRepository(pool, onCommit));

    String board = "/meshworks/:mw/tasks";
    api.post(board).handler(meshworkWrite(tasks::create));
    api.get(board).handler(read(tasks::list));
    api.get(board + "/:id").handler(read(tasks::get));
    api.patch(board + "/:id").handler(meshworkWrite(tasks::update));
    api.delete(board + "/:id").handler(meshworkWrite(tasks::delete));

    // The same writes as one agent (an owner's key acting for it), and what only an agent does.
    String agent = "/meshworks/:mw/agents/:agent";
    api.post(agent + "/tasks").handler(agentWrite(tasks::create));
    api.patch(agent + "/tasks/:id").handler(agentWrite(tasks::update));
    api.delete(agent + "/tasks/:id").handler(agentWrite(tasks::delete));
    api.post(agent + "/tasks/:id/claim").handler(agentWrite(tasks::claim));
    api.post(agent + "/reservations").handler(agentWrite(reservations::reserve));
    api.delete(agent + "/reservations").handler(agentWrite(reservations::release));
    api.get("/meshworks/:mw/reservations").handler(read(reservations::list));
  }

  private static Handler<RoutingContext> read(MeshworkAction action) {
    return scoped(Access.READ, action);
  }

  /** A write on a meshwork route acts as the token's agent: a guest's own, or "owner" for an owner. */
  private static Handler<RoutingContext> meshworkWrite(ActorAction action) {
    return scoped(Access.WRITE, (ctx, meshwork) ->
        action.run(ctx, new Actor(meshwork, Access.actingAgent(InternalAuthHandler.principal(ctx)))));
  }

  private static Handler<RoutingContext> agentWrite(ActorAction action) {
    return scoped(Access.WRITE, (ctx, meshwork) -> {
      String agent = Names.pathName(ctx.pathParam("agent"), "agent");
      if (!agent.equals(InternalAuthHandler.principal(ctx).agent())) {
        // Another agent is out of this caller's reach, as if it did not exist.
        throw ApiException.notFound("no agent named '" + agent + "' within reach");
      }
      return action.run(ctx, new Actor(meshwork, agent));
    });
  }

  private static Handler<RoutingContext> scoped(Access access, MeshworkAction action) {
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
            fail(ctx, result.cause());
          }
        });
      } catch (RuntimeException e) {
        fail(ctx, e);
      }
    };
  }

  /** A conflict answers with its details; everything else goes to the shared failure handler. */
  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof Conflict conflict) {
      LOG.debug("[{}] 409 {} {}: {}", RequestIdHandler.requestId(ctx), ctx.request().method(), LogSafe.path(ctx), conflict.getMessage());
      conflict.reply().send(ctx);
    } else {
      ctx.fail(failure);
    }
  }
}
