package io.meshcode.core.http;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.db.Sql;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Wraps the routes of a service that knows meshworks only by id (bus, memory, tasks) with who may
 * call them. The meshwork is the one in the caller's token (the gateway checked the path's name
 * against it); its name in the path is only read for being a name. An agent route reaches only the
 * agent the token names. An action's answer is sent as it is; a failure goes to the failure
 * handler (or first to the service's own {@code failure}).
 *
 * @param <S> how the service names one agent of one meshwork, made from the meshwork's id and the
 *     agent's name
 */
public final class ScopedRoutes<S> {

  /** A route under {@code /meshworks/:mw}. */
  @FunctionalInterface
  public interface MeshworkAction {
    Future<Reply> run(RoutingContext ctx, UUID meshwork);
  }

  /** A route under {@code /meshworks/:mw/agents/:agent}, once the agent is the caller's. */
  @FunctionalInterface
  public interface AgentAction<A> {
    Future<Reply> run(RoutingContext ctx, A agent);
  }

  private final BiFunction<UUID, String, S> agents;
  private final BiConsumer<RoutingContext, Throwable> failure;

  /** Routes whose failures all go to the shared failure handler. */
  public ScopedRoutes(BiFunction<UUID, String, S> agents) {
    this(agents, RoutingContext::fail);
  }

  /** Routes whose failures go to {@code failure}, which answers those it knows and hands on the rest with {@code ctx.fail}. */
  public ScopedRoutes(BiFunction<UUID, String, S> agents, BiConsumer<RoutingContext, Throwable> failure) {
    this.agents = agents;
    this.failure = failure;
  }

  /** The meshwork the caller's token is scoped to; a token without one reaches nothing here. */
  public static UUID meshwork(InternalPrincipal caller) {
    if (caller.kind() == KeyKind.SYSTEM) {
      throw ApiException.forbidden("the gateway's own token reaches no meshwork");
    }
    return Sql.uuid(caller.meshwork())
        .orElseThrow(() -> ApiException.forbidden("this token is not scoped to a meshwork"));
  }

  public Handler<RoutingContext> meshwork(MeshworkAccess access, MeshworkAction action) {
    return ctx -> {
      try {
        InternalPrincipal caller = InternalAuthHandler.principal(ctx);
        UUID meshwork = meshwork(caller);
        Names.pathName(ctx.pathParam("mw"), "meshwork");
        access.require(caller);
        action.run(ctx, meshwork).onComplete(result -> {
          if (result.succeeded()) {
            result.result().send(ctx);
          } else {
            failure.accept(ctx, result.cause());
          }
        });
      } catch (RuntimeException e) {
        failure.accept(ctx, e);
      }
    };
  }

  public Handler<RoutingContext> agent(MeshworkAccess access, AgentAction<S> action) {
    return meshwork(access, (ctx, meshwork) -> {
      String agent = Names.pathName(ctx.pathParam("agent"), "agent");
      if (!agent.equals(InternalAuthHandler.principal(ctx).agent())) {
        // Another agent is out of this caller's reach, as if it did not exist.
        throw ApiException.notFound("no agent named '" + agent + "' within reach");
      }
      return action.run(ctx, agents.apply(meshwork, agent));
    });
  }
}
