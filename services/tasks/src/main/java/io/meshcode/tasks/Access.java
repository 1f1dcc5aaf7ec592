package io.meshcode.tasks;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import java.util.UUID;

/**
 * Which callers a route takes. The gateway has already checked that the meshwork in the path is
 * the caller's and put its id in the token, so this service scopes by that id alone; here only the
 * kind of key is left to check.
 */
enum Access {

  /** Anyone the meshwork is open to: its owner, its guests, its spectators. */
  READ,
  /** Owners and guests: a spectator link only watches. */
  WRITE;

  /** The meshwork the caller's token is scoped to; a token without one reaches nothing here. */
  static UUID meshwork(InternalPrincipal caller) {
    if (caller.kind() == KeyKind.SYSTEM) {
      throw ApiException.forbidden("the gateway's own token reaches no meshwork");
    }
    return Sql.uuid(caller.meshwork())
        .orElseThrow(() -> ApiException.forbidden("this token is not scoped to a meshwork"));
  }

  void require(InternalPrincipal caller) {
    if (this == WRITE && caller.kind() == KeyKind.SPECTATOR) {
      throw ApiException.forbidden("a spectator link is read-only");
    }
  }

  /** The agent a write on a meshwork route acts as: the token's, or "owner" for an owner without one. */
  static String actingAgent(InternalPrincipal caller) {
    if (caller.agent() != null) {
      return caller.agent();
    }
    if (caller.kind() == KeyKind.OWNER) {
      return Actor.OWNER;
    }
    throw ApiException.forbidden("this guest token names no agent");
  }
}
