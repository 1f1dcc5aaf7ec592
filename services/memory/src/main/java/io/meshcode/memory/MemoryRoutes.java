package io.meshcode.memory;

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
 * Every route of the memory service, with who may call it. The meshwork is the one in the
 * caller's token (the gateway checked the path's name against it); its name in the path is only
 * read for being a name. A memory route reaches only the agent the token names.
 */
final class MemoryRoutes {

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

  private MemoryRoutes() {}

  /** {@code onCommitted} runs after each committed change (the service wakes its outbox relay). */
  static void mount(Router api, Pool pool, Runnable onCommitted) {
    MemoryHandlers memory = new MemoryHandlers(new MemoryRepository(pool, onCommitted));
    ScratchpadHandlers scratchpad = new ScratchpadHandlers(new ScratchpadRepository(pool, onCommitted));

    String memories = "/meshworks/:mw/agents/:agent/memory";
    api.get(memories).handler(agent(Access.PRIVATE, memory::recallAll));
    api.get(memories + "/:key").handler(agent(Access.PRIVATE, memory::recall));
    api.put(memories + "/:key").handler(agent(Access.WRITE, memory::remember));
    api.delete(memories + "/:key").handler(agent(Access.WRITE, memory::forget));

    String entries = "/meshworks/:mw/scratchpad";
    api.get(entries).handler(meshwork(Access.READ, scratchpad::list));
    api.get(entries + "/:key").handler(meshwork(Access.READ, scratchpad::get));
    api.put(entries + "/:key").handler(meshwork(Access.WRITE, scratchpad::set));
    api.delete(entries + "/:key").handler(meshwork(Access.WRITE, scratchpad::delete));
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
        // Another agent's memory is out of this caller's reach, as if it did not exist.
        throw ApiException.notFound("no agent named '" + agent + "' within reach");
      }
      return action.run(ctx, new AgentSlot(meshwork, agent));
    });
  }
}
