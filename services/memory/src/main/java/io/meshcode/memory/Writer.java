package io.meshcode.memory;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;

/**
 * Who made a change, as entries and events name it: {@code name} is the writing agent, or
 * {@code owner} for the meshwork's owner; {@code agent} is the agent the change's event is about
 * (null for an owner's scratchpad write, which is about the meshwork).
 */
record Writer(String name, String agent) {

  static final String OWNER = "owner";

  /** A scratchpad write: by the guest's own agent, or by the owner (whose token names no agent on a meshwork route). */
  static Writer of(InternalPrincipal caller) {
    if (caller.kind() == KeyKind.OWNER) {
      String acting = VouchedWindow.actingAgent(caller);
      return acting == null ? new Writer(OWNER, null) : new Writer(acting, acting);
    }
    if (caller.agent() == null) {
      throw ApiException.forbidden("this guest token names no agent");
    }
    return new Writer(caller.agent(), caller.agent());
  }

  /**
   * A change to {@code slot}'s memory: by the agent itself, or by the owner editing it
   * (edit_memory). An agent whose MCP server runs on its owner's key is that agent, not the owner:
   * the gateway vouches for the agent the window acts as.
   */
  static Writer onMemory(InternalPrincipal caller, AgentSlot slot) {
    if (caller.kind() != KeyKind.OWNER) {
      return new Writer(slot.agent(), slot.agent());
    }
    String acting = VouchedWindow.actingAgent(caller);
    return new Writer(acting == null ? OWNER : acting, slot.agent());
  }
}
