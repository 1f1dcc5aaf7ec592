package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.VouchedList;
import io.meshcode.core.auth.VouchedPerson;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the gateway hands an operation to the service that owns it (the operation's tag).
 *
 * <ul>
 *   <li>The invites service knows meshworks by name and checks every scope itself: its
 *       operations go straight through.
 *   <li>The other services know a meshwork only by id. For their operations the gateway first
 *       looks the meshwork up at the invites service as the caller (so anything outside the
 *       caller's reach is 404 there), checks that the agent in the path exists (and, for a guest,
 *       is its own), and puts the meshwork id and agent in the internal token.
 *   <li>Reading a meshwork adds each agent's status from the bus (presence), so one answer shows
 *       role and status; an agent the bus has never seen is {@code offline}, and if the bus cannot
 *       answer, {@code unknown}.
 * </ul>
 */
final class Forwarding {

  private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

  static final String INVITES = "invites";
  static final String BUS = "bus";
  static final String SEND_MESSAGE = "sendMessage";
  /** The owner's send as a person (the dashboard's): the same resolving, vouching and forwarding as an agent's. */
  static final String SEND_AS_OWNER = "sendMessageAsOwner";
  /** How a send as a person names its sender where an agent's name would go (a scope-cache key). */
  private static final String OWNER_SENDER = "@owner";
  private static final Set<String> WITH_PRESENCE = Set.of("getMeshwork", "listMeshworks");
  static final String LIST_MEMBERS = "listMembers";
  static final String REVOKE_MEMBER = "revokeMember";

  /** An agent route's caller once scoped: the meshwork's id and the agent are in {@code principal}. */
  record ScopedAgent(String meshworkId, String agent, InternalPrincipal principal) {}

  private final ServiceProxy proxy;
  private final Map<String, URI> upstreams;
  private final ParkedWaits parked;
  private final ScopeCache scopes;
  private final WindowSessionCheck windows;

  Forwarding(ServiceProxy proxy, Map<String, URI> upstreams, ParkedWaits parked, ScopeCache scopes) {
    this.proxy = proxy;
    this.upstreams = upstreams;
    this.parked = parked;
    this.scopes = scopes;
    this.windows = new WindowSessionCheck(proxy, upstreams.get(BUS));
  }

  /** The handler for an operation owned by service {@code tag}, or null for a service the gateway does not know. */
  Handler<RoutingContext> handlerFor(Operation operation, String tag) {
    URI base = upstreams.get(tag);
    if (base == null) {
      return null;
    }
    if (INVITES.equals(tag)) {
      if (WITH_PRESENCE.contains(operation.getOperationId())) {
        return ctx -> withPresence(ctx, base);
      }
      if (LIST_MEMBERS.equals(operation.getOperationId())) {
        return ctx -> proxy.forward(ctx, tag, base, ownerNamed(ctx));
      }
      if (REVOKE_MEMBER.equals(operation.getOperationId())) {
        return ctx -> revokeMember(ctx, base);
      }
      return operation.getHttpMethod() == HttpMethod.GET
          ? ctx -> proxy.forward(ctx, tag, base, principal(ctx))
          : ctx -> forwardMembershipChange(ctx, base);
    }
    if (SEND_MESSAGE.equals(operation.getOperationId()) || SEND_AS_OWNER.equals(operation.getOperationId())) {
      return ctx -> forwardSend(ctx, base);
    }
    boolean scoped = operation.getOpenAPIPath().contains("{meshwork}");
    return scoped ? ctx -> forwardScoped(ctx, tag, base) : ctx -> proxy.forward(ctx, tag, base, principal(ctx));
  }

  /** The caller as the service should see it; the gateway itself for the key-less operations. */
  private static InternalPrincipal principal(RoutingContext ctx) {
    Caller caller = PublicApi.callerOrNull(ctx);
    return caller == null ? InternalPrincipal.system() : caller.principal();
  }

  /** A change at the invites service: once it is made, this replica's cached scopes may be out of date. */
  private void forwardMembershipChange(RoutingContext ctx, URI invites) {
    proxy.send(ctx, INVITES, invites, principal(ctx)).onSuccess(response -> {
      if (response.statusCode() < 300) {
        scopes.invalidateAll();
      }
      ServiceProxy.relay(ctx, response, response.body());
    }).onFailure(ctx::fail);
  }

  /** The caller, with an owner's account name vouched for: the member list names the owner by it. */
  private static InternalPrincipal ownerNamed(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    InternalPrincipal principal = caller.principal();
    return caller.kind() == KeyKind.OWNER && caller.name() != null
        ? principal.vouching(new JsonObject().put(VouchedPerson.CLAIM, caller.name()))
        : principal;
  }

  /**
   * Revoking a member: once the invites service revoked it, the bus ends the session that member
   * opened, so the agent is offline on the next read and its window is refused at once, rather
   * than showing working until the lease runs out. Answers 204 as before; if the bus cannot be
   * reached the revocation stands (the key fails from the next request) and the lease runs out.
   */
  private void revokeMember(RoutingContext ctx, URI invites) {
    Caller caller = PublicApi.caller(ctx);
    proxy.send(ctx, INVITES, invites, principal(ctx)).onSuccess(response -> {
      if (response.statusCode() >= 300) {
        ServiceProxy.relay(ctx, response, response.body());
        return;
      }
      scopes.invalidateAll();
      JsonObject revoked = response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject();
      if (revoked == null || revoked.getString("agent") == null || revoked.getString("meshwork_id") == null) {
        // An invites service of the version before answers 204 without the member: its lease runs out instead.
        ctx.response().setStatusCode(204).end();
        return;
      }
      String agent = revoked.getString("agent");
      String path = "/v1/meshworks/" + ctx.pathParam("meshwork") + "/agents/" + agent + "/sessions?member=" + revoked.getString("id");
      InternalPrincipal owner = new InternalPrincipal(caller.id(), caller.kind(), revoked.getString("meshwork_id"), agent);
      proxy.call(ctx, BUS, HttpMethod.DELETE, upstreams.get(BUS), path, owner, null).onComplete(ended -> {
        if (ended.failed() || ended.result().statusCode() != 204) {
          LOG.warn("ending the sessions of revoked member {} failed: {}", revoked.getString("id"),
              ended.failed() ? ended.cause().getMessage() : "the bus answered " + ended.result().statusCode());
        }
        ctx.response().setStatusCode(204).end();
      });
    }).onFailure(ctx::fail);
  }

  private void forwardScoped(RoutingContext ctx, String service, URI base) {
    Caller caller = PublicApi.caller(ctx);
    Future<InternalPrincipal> scoped = ctx.pathParam("agent") != null
        ? scopeAgent(ctx).map(agent -> agent == null ? null : agent.principal())
        : lookUpMeshwork(ctx, caller, ctx.pathParam("meshwork"), false).map(meshwork -> meshwork == null
            ? null : new InternalPrincipal(caller.id(), caller.kind(), meshwork.getString("id"), caller.agent()));
    scoped.compose(principal -> {
      if (principal == null) {
        return Future.succeededFuture();
      }
      // The bus checks a window's session on its own routes; memory and tasks are checked here first.
      Future<Boolean> allowed = BUS.equals(service) ? Future.succeededFuture(true) : windows.allows(ctx, caller, principal);
      return allowed.map(go -> {
        if (go) {
          proxy.forward(ctx, service, base, principal);
        }
        return null;
      });
    }).onFailure(ctx::fail);
  }

  /**
   * The caller on the agent named in the path, as {@link #forwardScoped} checks it: null when the
   * caller was already answered (the meshwork or agent out of reach).
   */
  Future<ScopedAgent> scopeAgent(RoutingContext ctx) {
    Caller caller = PublicApi.caller(ctx);
    String agent = ctx.pathParam("agent");
    String name = ctx.pathParam("meshwork");
    JsonObject cached = scopes.get(ScopeCache.meshworkKey(caller, name));
    // An agent the cached meshwork lacks may be new: only the invites service can say it is not there.
    Future<JsonObject> meshwork = cached != null && hasAgent(cached, agent)
        ? Future.succeededFuture(cached)
        : lookUpMeshwork(ctx, caller, name, cached != null);
    return meshwork.map(found -> {
      if (found == null) {
        return null;
      }
      if (!hasAgent(found, agent) || (caller.kind() == KeyKind.GUEST && !agent.equals(caller.agent()))) {
        throw ApiException.notFound("no agent named '" + agent + "' within your reach in this meshwork");
      }
      String id = found.getString("id");
      return new ScopedAgent(id, agent, new InternalPrincipal(caller.id(), caller.kind(), id, agent));
    });
  }

  /**
   * A send: the invites service, asked as the caller, scopes the sending agent and resolves the
   * recipients (404 naming any unknown one); the bus gets them beside the message, their digest
   * vouched for in the token (a broadcast's list is too long for a header). Once the
   * bus has accepted the message, the waits parked here for its recipients wake at once; other
   * replicas hear of it on mesh.messages.
   *
   * <p>Without an agent in the path the owner sends as a person: only an owner's key or dashboard
   * session may (403 otherwise), the invites service resolves the recipients for the owner
   * ({@code *}: every agent), and the token vouches for the owner's account name as the person the
   * message is from, taken from the key, never from the body.
   */
  private void forwardSend(RoutingContext ctx, URI bus) {
    Caller caller = PublicApi.caller(ctx);
    boolean asPerson = ctx.pathParam("agent") == null;
    if (asPerson && caller.kind() != KeyKind.OWNER) {
      // A meshwork outside the caller's reach is 404 first, as on every route; then the kind is 403.
      lookUpMeshwork(ctx, caller, ctx.pathParam("meshwork"), false).onSuccess(found -> {
        if (found != null) {
          ctx.fail(ApiException.forbidden("only the meshwork's owner sends as a person; a guest key sends as its agent, "
              + "a spectator link sends nothing"));
        }
      }).onFailure(ctx::fail);
      return;
    }
    resolveRecipients(ctx, caller, asPerson).compose(sender -> {
      if (sender == null) {
        return Future.succeededFuture();
      }
      JsonArray recipients = sender.getJsonArray("recipients");
      if (recipients == null) {
        return Future.failedFuture(new ApiException(502, "bad_gateway", "the invites service resolved the recipients without a list"));
      }
      String list = recipients.encode();
      JsonObject vouched = new JsonObject()
          .put("meshwork_name", sender.getString("meshwork")).put(VouchedList.RECIPIENTS_CLAIM, VouchedList.digest(list));
      if (asPerson) {
        vouched.put(VouchedPerson.CLAIM, caller.name());
      }
      InternalPrincipal principal = new InternalPrincipal(
          caller.id(), caller.kind(), sender.getString("meshwork_id"), asPerson ? null : sender.getString("agent"), vouched);
      Buffer envelope = Buffer.buffer("{\"recipients\":").appendString(list)
          .appendString(",\"message\":").appendBuffer(ctx.body().buffer()).appendString("}");
      return proxy.call(ctx, BUS, HttpMethod.POST, bus, ServiceProxy.pathAndQuery(ctx), principal, envelope).map(sent -> {
        if (sent.statusCode() == 201) {
          parked.wake(recipients);
        }
        ServiceProxy.relay(ctx, sent, sent.body());
        return null;
      });
    }).onFailure(ctx::fail);
  }

  /**
   * The sending agent's meshwork (or, {@code asPerson}, the owner's) and the recipients its address
   * list names, as the invites service resolved them for this caller; null when the invites service
   * already answered the caller (an unknown recipient, say).
   */
  private Future<JsonObject> resolveRecipients(RoutingContext ctx, Caller caller, boolean asPerson) {
    String meshwork = ctx.pathParam("meshwork");
    String agent = asPerson ? OWNER_SENDER : ctx.pathParam("agent");
    JsonObject body = ctx.body().asJsonObject();
    Buffer to = Buffer.buffer(new JsonObject().put("to", body == null ? null : body.getValue("to")).encode());
    String path = "/v1/meshworks/" + meshwork + (asPerson ? "" : "/agents/" + agent) + "/recipients";
    return askInvites(ctx, caller, ScopeCache.recipientsKey(caller, meshwork, agent, to.toString()), false, HttpMethod.POST, path, to);
  }

  /**
   * The meshwork as the caller may see it (from the cache unless {@code fresh}); null when the
   * invites service already answered the caller (404 and such).
   */
  private Future<JsonObject> lookUpMeshwork(RoutingContext ctx, Caller caller, String name, boolean fresh) {
    return askInvites(ctx, caller, ScopeCache.meshworkKey(caller, name), fresh, HttpMethod.GET, "/v1/meshworks/" + name, null);
  }

  /**
   * What the invites service answers the caller, from the scope cache under {@code key} unless
   * {@code fresh}; a 200 is kept there. Null when the invites service's answer was not 200: the
   * caller has been given it.
   */
  private Future<JsonObject> askInvites(
      RoutingContext ctx, Caller caller, String key, boolean fresh, HttpMethod method, String path, Buffer body) {
    JsonObject cached = fresh ? null : scopes.get(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    long generation = scopes.generation();
    return proxy.call(ctx, INVITES, method, upstreams.get(INVITES), path, caller.principal(), body).map(response -> {
      if (response.statusCode() != 200) {
        ServiceProxy.relay(ctx, response, response.body());
        return null;
      }
      JsonObject answer = response.bodyAsJsonObject();
      scopes.put(key, generation, answer);
      return answer;
    });
  }

  private static boolean hasAgent(JsonObject meshwork, String agent) {
    JsonArray agents = meshwork.getJsonArray("agents", new JsonArray());
    return agents.stream().anyMatch(a -> a instanceof JsonObject o && agent.equals(o.getString("name")));
  }

  private void withPresence(RoutingContext ctx, URI invites) {
    Caller caller = PublicApi.caller(ctx);
    proxy.send(ctx, INVITES, invites, caller.principal()).onSuccess(response -> {
      if (response.statusCode() != 200) {
        ServiceProxy.relay(ctx, response, response.body());
        return;
      }
      JsonObject body = response.bodyAsJsonObject();
      List<JsonObject> meshworks = new ArrayList<>();
      if (body.containsKey("meshworks")) {
        body.getJsonArray("meshworks").forEach(mw -> meshworks.add((JsonObject) mw));
      } else {
        meshworks.add(body);
      }
      List<Future<Void>> statuses = meshworks.stream().map(mw -> addStatuses(ctx, caller, mw)).toList();
      Future.join(statuses).onComplete(ignored -> ServiceProxy.relay(ctx, response, Buffer.buffer(body.encode())));
    }).onFailure(ctx::fail);
  }

  private Future<Void> addStatuses(RoutingContext ctx, Caller caller, JsonObject meshwork) {
    String path = "/v1/meshworks/" + meshwork.getString("name") + "/presence";
    InternalPrincipal principal = new InternalPrincipal(caller.id(), caller.kind(), meshwork.getString("id"), caller.agent());
    JsonArray agents = meshwork.getJsonArray("agents", new JsonArray());
    return proxy.call(ctx, BUS, HttpMethod.GET, upstreams.get(BUS), path, principal, null)
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("presence answered " + response.statusCode());
          }
          JsonObject byAgent = new JsonObject();
          response.bodyAsJsonObject().getJsonArray("agents", new JsonArray())
              .forEach(seen -> byAgent.put(((JsonObject) seen).getString("agent"), seen));
          agents.forEach(a -> {
            JsonObject agent = (JsonObject) a;
            JsonObject seen = byAgent.getJsonObject(agent.getString("name"));
            agent.put("status", seen == null ? "offline" : seen.getString("status"));
            agent.put("last_seen", seen == null ? null : seen.getString("last_seen"));
          });
          return (Void) null;
        })
        .recover(failure -> {
          agents.forEach(a -> ((JsonObject) a).put("status", "unknown"));
          return Future.succeededFuture();
        });
  }
}
