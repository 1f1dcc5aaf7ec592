package io.meshcode.invites;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/** Meshworks, their agent slots and their links: reading and validating requests, shaping answers. */
final class MeshworkHandlers {

  static final int DESCRIPTION_MAX = 500;
  static final int ROLE_MAX = 200;
  static final int LAUNCH_PROMPT_MAX = 10_000;

  private final MeshworkRepository meshworks;
  private final AgentRepository agents;
  private final LinkRepository links;
  private final Scope scope;

  MeshworkHandlers(MeshworkRepository meshworks, AgentRepository agents, LinkRepository links, Scope scope) {
    this.meshworks = meshworks;
    this.agents = agents;
    this.links = links;
    this.scope = scope;
  }

  Future<Reply> create(RoutingContext ctx, InternalPrincipal caller) {
    JsonInput body = JsonInput.of(ctx, "name", "description");
    String name = body.requiredName("name", Names.NAME, Names.RULE);
    String description = body.optionalString("description", DESCRIPTION_MAX).orElse("");
    return meshworks.create(caller.account(), name, description)
        .map(meshwork -> Reply.created(meshwork.toJson(new JsonArray())));
  }

  Future<Reply> list(RoutingContext ctx, InternalPrincipal caller) {
    return scope.all(caller).compose(meshworks::withAgents)
        .map(all -> Reply.ok(new JsonObject().put("meshworks", all)));
  }

  Future<Reply> get(RoutingContext ctx, Meshwork meshwork) {
    return meshworks.withAgents(List.of(meshwork)).map(one -> Reply.ok(one.getJsonObject(0)));
  }

  Future<Reply> delete(RoutingContext ctx, Meshwork meshwork) {
    return meshworks.delete(meshwork).map(v -> Reply.noContent());
  }

  Future<Reply> addAgent(RoutingContext ctx, Meshwork meshwork) {
    JsonInput body = JsonInput.of(ctx, "name", "role", "launch_prompt");
    String name = body.requiredName("name", Names.NAME, Names.RULE);
    String role = body.optionalString("role", ROLE_MAX).orElse("");
    String launchPrompt = body.optionalString("launch_prompt", LAUNCH_PROMPT_MAX).orElse("");
    return agents.create(meshwork, name, role, launchPrompt).map(agent -> Reply.created(agent.toJson()));
  }

  Future<Reply> listAgents(RoutingContext ctx, Meshwork meshwork) {
    return agents.list(meshwork).map(all -> Reply.ok(new JsonObject()
        .put("agents", new JsonArray(all.stream().map(Agent::toJson).toList()))));
  }

  Future<Reply> getAgent(RoutingContext ctx, Meshwork meshwork) {
    return agents.find(meshwork, agentName(ctx)).map(agent -> Reply.ok(agent.toJson()));
  }

  Future<Reply> updateAgent(RoutingContext ctx, Meshwork meshwork) {
    String name = agentName(ctx);
    JsonInput body = JsonInput.of(ctx, "role", "launch_prompt");
    Optional<String> role = body.optionalString("role", ROLE_MAX);
    Optional<String> launchPrompt = body.optionalString("launch_prompt", LAUNCH_PROMPT_MAX);
    if (role.isEmpty() && launchPrompt.isEmpty()) {
      throw ApiException.badRequest("nothing to change: give 'role' or 'launch_prompt'");
    }
    return agents.update(meshwork, name, role, launchPrompt).map(agent -> Reply.ok(agent.toJson()));
  }

  Future<Reply> removeAgent(RoutingContext ctx, Meshwork meshwork) {
    return agents.remove(meshwork, agentName(ctx)).map(v -> Reply.noContent());
  }

  Future<Reply> link(RoutingContext ctx, Meshwork meshwork) {
    JsonInput body = JsonInput.of(ctx, "target");
    String target = body.requiredName("target", Names.NAME, Names.RULE);
    return links.link(meshwork, target)
        .map(v -> Reply.created(new JsonObject().put("meshwork", meshwork.name()).put("target", target)));
  }

  Future<Reply> links(RoutingContext ctx, Meshwork meshwork) {
    return links.names(meshwork).map(names -> Reply.ok(new JsonObject().put("links", new JsonArray(names))));
  }

  Future<Reply> unlink(RoutingContext ctx, Meshwork meshwork) {
    String target = Names.pathName(ctx.pathParam("target"), "meshwork");
    return links.unlink(meshwork, target).map(v -> Reply.noContent());
  }

  private static String agentName(RoutingContext ctx) {
    return Names.pathName(ctx.pathParam("agent"), "agent");
  }
}
