package io.meshcode.memory;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** An agent's memory (remember, recall, forget): reading and validating requests, shaping answers. */
final class MemoryHandlers {

  private final MemoryRepository memories;

  MemoryHandlers(MemoryRepository memories) {
    this.memories = memories;
  }

  /** Remember, and the owner's edit_memory: stores the value under the key, replacing what was there. */
  Future<Reply> remember(RoutingContext ctx, AgentSlot slot) {
    String key = EntryKey.fromPath(ctx);
    EntryValue value = EntryValue.from(JsonInput.of(ctx, "value"), MemoryRepository.VALUE_MAX_BYTES);
    Writer writer = Writer.onMemory(InternalAuthHandler.principal(ctx), slot);
    return memories.remember(slot, key, value, writer).map(written -> Reply.ok(written.toJson()));
  }

  /** Recall one key: {@code found: false} rather than a 404 for a key the agent does not have. */
  Future<Reply> recall(RoutingContext ctx, AgentSlot slot) {
    String key = EntryKey.fromPath(ctx);
    return memories.find(slot, key).map(found -> Reply.ok(Entry.lookup(key, found)));
  }

  Future<Reply> recallAll(RoutingContext ctx, AgentSlot slot) {
    return memories.all(slot).map(entries -> Reply.ok(new JsonObject()
        .put("ok", true)
        .put("memories", Entry.toJson(entries))
        .put("count", entries.size())
        .put("max_keys", MemoryRepository.MAX_KEYS)));
  }

  Future<Reply> forget(RoutingContext ctx, AgentSlot slot) {
    String key = EntryKey.fromPath(ctx);
    Writer writer = Writer.onMemory(InternalAuthHandler.principal(ctx), slot);
    return memories.forget(slot, key, writer).map(removed -> Reply.ok(new JsonObject()
        .put("ok", true)
        .put("key", key)
        .put("forgotten", removed.isPresent())));
  }
}
