package io.meshcode.tasks;

import static io.meshcode.core.http.MeshworkAccess.READ;
import static io.meshcode.core.http.MeshworkAccess.WRITE;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.http.LogSafe;
import io.meshcode.core.http.RequestIdHandler;
import io.meshcode.core.http.ScopedRoutes;
import io.meshcode.core.http.ScopedRoutes.AgentAction;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the tasks service, with who may call it ({@link ScopedRoutes}): the meshwork in
 * the caller's token. An agent route acts as the agent the token names, and reaches no other; a
 * write on a meshwork route acts as the token's agent ({@link Actor#of}).
 */
final class TasksRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(TasksRoutes.class);

  private TasksRoutes() {}

  static void mount(Router api, Pool pool, Runnable onCommit) {
    TaskHandlers tasks = new TaskHandlers(new TaskRepository(pool, onCommit));
    ReservationHandlers reservations = new ReservationHandlers(new ReservationRepository(pool, onCommit));
    ScopedRoutes<Actor> scoped = new ScopedRoutes<>(Actor::new, TasksRoutes::fail);

    String board = "/meshworks/:mw/tasks";
    api.post(board).handler(meshworkWrite(scoped, tasks::create));
    api.get(board).handler(scoped.meshwork(READ, tasks::list));
    api.get(board + "/:id").handler(scoped.meshwork(READ, tasks::get));
    api.patch(board + "/:id").handler(meshworkWrite(scoped, tasks::update));
    api.delete(board + "/:id").handler(meshworkWrite(scoped, tasks::delete));

    // The same writes as one agent (an owner's key acting for it), and what only an agent does.
    String agent = "/meshworks/:mw/agents/:agent";
    api.post(agent + "/tasks").handler(scoped.agent(WRITE, tasks::create));
    api.patch(agent + "/tasks/:id").handler(scoped.agent(WRITE, tasks::update));
    api.delete(agent + "/tasks/:id").handler(scoped.agent(WRITE, tasks::delete));
    api.post(agent + "/tasks/:id/claim").handler(scoped.agent(WRITE, tasks::claim));
    api.post(agent + "/reservations").handler(scoped.agent(WRITE, reservations::reserve));
    api.delete(agent + "/reservations").handler(scoped.agent(WRITE, reservations::release));
    api.get("/meshworks/:mw/reservations").handler(scoped.meshwork(READ, reservations::list));
  }

  /** A write on a meshwork route acts as the token's agent: a guest's own, or "owner" for an owner. */
  private static Handler<RoutingContext> meshworkWrite(ScopedRoutes<Actor> scoped, AgentAction<Actor> action) {
    return scoped.meshwork(WRITE, (ctx, meshwork) -> action.run(ctx, Actor.of(meshwork, InternalAuthHandler.principal(ctx))));
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
