package io.meshcode.memory;

import static io.meshcode.core.http.MeshworkAccess.READ;
import static io.meshcode.core.http.MeshworkAccess.WRITE;

import io.meshcode.core.http.MeshworkAccess;
import io.meshcode.core.http.ScopedRoutes;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * Every route of the memory service, with who may call it ({@link ScopedRoutes}): the meshwork in
 * the caller's token, and on a memory route only the agent the token names.
 */
final class MemoryRoutes {

  /** Owners and guests, even to read: an agent's memory is not for a spectator link to watch. */
  private static final MeshworkAccess PRIVATE =
      MeshworkAccess.refusingSpectators("an agent's memory is private; a spectator link does not reach it");

  private MemoryRoutes() {}

  /** {@code onCommitted} runs after each committed change (the service wakes its outbox relay). */
  static void mount(Router api, Pool pool, Runnable onCommitted) {
    MemoryRepository memoryStore = new MemoryRepository(pool, onCommitted);
    ScratchpadRepository scratchpadStore = new ScratchpadRepository(pool, onCommitted);
    MemoryHandlers memory = new MemoryHandlers(memoryStore);
    ScratchpadHandlers scratchpad = new ScratchpadHandlers(scratchpadStore);
    MemoryCounts counts = new MemoryCounts(memoryStore, scratchpadStore);
    ScopedRoutes<AgentSlot> scoped = new ScopedRoutes<>(AgentSlot::new);

    // Counts, not contents; yet a spectator link reaches no agent's memory at all, so not these either.
    api.get("/meshworks/:mw/memory").handler(scoped.meshwork(PRIVATE, counts::count));

    String memories = "/meshworks/:mw/agents/:agent/memory";
    api.get(memories).handler(scoped.agent(PRIVATE, memory::recallAll));
    api.get(memories + "/:key").handler(scoped.agent(PRIVATE, memory::recall));
    api.put(memories + "/:key").handler(scoped.agent(WRITE, memory::remember));
    api.delete(memories + "/:key").handler(scoped.agent(WRITE, memory::forget));

    String entries = "/meshworks/:mw/scratchpad";
    api.get(entries).handler(scoped.meshwork(READ, scratchpad::list));
    api.get(entries + "/:key").handler(scoped.meshwork(READ, scratchpad::get));
    api.put(entries + "/:key").handler(scoped.meshwork(WRITE, scratchpad::set));
    api.delete(entries + "/:key").handler(scoped.meshwork(WRITE, scratchpad::delete));
  }
}
