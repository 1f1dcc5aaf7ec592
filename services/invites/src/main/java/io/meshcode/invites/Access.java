package io.meshcode.invites;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;

/**
 * Which kinds of key a route takes. It is checked after the meshwork is found in the caller's
 * scope, so a meshwork out of reach stays a 404 and only a wrong kind of key inside it is a 403.
 */
enum Access {

  /** The owner's key only: every write, and the lists that show who holds access. */
  OWNER,
  /** Anyone who reaches the meshwork: its owner, its guests, its spectators. */
  READ,
  /** Whoever acts as an agent: the owner for any slot, a guest for its own (the route checks which). */
  AGENT,
  /** The gateway acting for itself: resolving keys, redeeming invites. */
  SYSTEM;

  void require(InternalPrincipal caller) {
    KeyKind kind = caller.kind();
    if (this == SYSTEM) {
      if (kind != KeyKind.SYSTEM) {
        throw ApiException.forbidden("only the gateway itself may call this");
      }
      return;
    }
    if (kind == KeyKind.SYSTEM) {
      throw ApiException.forbidden("the gateway's own token may only resolve keys and redeem invites");
    }
    if (this != READ && kind == KeyKind.SPECTATOR) {
      throw ApiException.forbidden("a spectator link only watches: it cannot change anything");
    }
    if (this == OWNER && kind != KeyKind.OWNER) {
      throw ApiException.forbidden("a guest key cannot do that: only the meshwork's owner can");
    }
  }
}
