package io.meshcode.memory;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.Reply;
import io.meshcode.memory.MemoryRepository.Usage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * How much memory each agent of a meshwork keeps, and how full its scratchpad is, in one answer:
 * the dashboard's agent cards show every agent's count, which one call per agent would cost a
 * request each. Counts only, never keys or values; still, what an agent keeps is its own, so an
 * owner sees every agent, a guest only its own agent, and a spectator link nothing.
 */
final class MemoryCounts {

  private final MemoryRepository memories;
  private final ScratchpadRepository scratchpad;

  MemoryCounts(MemoryRepository memories, ScratchpadRepository scratchpad) {
    this.memories = memories;
    this.scratchpad = scratchpad;
  }

  Future<Reply> count(RoutingContext ctx, UUID meshwork) {
    String agent = reach(InternalAuthHandler.principal(ctx));
    return Future.all(memories.usage(meshwork, agent), scratchpad.count(meshwork)).map(counted -> {
      JsonArray agents = new JsonArray();
      for (Usage usage : counted.<List<Usage>>resultAt(0)) {
        agents.add(new JsonObject().put("agent", usage.agent()).put("count", usage.count()).put("bytes", usage.bytes()));
      }
      return Reply.ok(new JsonObject()
          .put("ok", true)
          .put("agents", agents)
          .put("max_keys", MemoryRepository.MAX_KEYS)
          .put("max_value_bytes", MemoryRepository.VALUE_MAX_BYTES)
          .put("scratchpad", new JsonObject()
              .put("count", counted.<Long>resultAt(1))
              .put("max_keys", ScratchpadRepository.MAX_KEYS)));
    });
  }

  /** The one agent a guest may count (its own), or null for an owner, who counts them all. */
  private static String reach(InternalPrincipal caller) {
    if (caller.kind() == KeyKind.OWNER) {
      return null;
    }
    if (caller.agent() == null) {
      throw ApiException.forbidden("this guest token names no agent");
    }
    return caller.agent();
  }
}
