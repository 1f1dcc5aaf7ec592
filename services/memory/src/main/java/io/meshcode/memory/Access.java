package io.meshcode.memory;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import java.util.UUID;

/**
 * Which callers a route takes. The gateway has already checked that the meshwork in the path is
 * the caller's and put its id in the token, so the service scopes by that id alone; here only the
 * kind of key is left to check.
 */
enum Access {

  /** Anyone the meshwork is open to: its owner, its guests, its spectators. */
  READ,
  /** Owners and guests: a spectator link only watches. */
  WRITE,
  /** Owners and guests, even to read: an agent's memory is not for a spectator link to watch. */
  PRIVATE;

  /** The meshwork the caller's token is scoped to; a token without one reaches nothing here. */
  static UUID meshwork(InternalPrincipal caller) {
    if (caller.kind() == KeyKind.SYSTEM) {
      throw ApiException.forbidden("the gateway's own token reaches no meshwork");
    }
    return Sql.uuid(caller.meshwork())
        .orElseThrow(() -> ApiException.forbidden("this token is not scoped to a meshwork"));
  }

  void require(InternalPrincipal caller) {
    if (caller.kind() != KeyKind.SPECTATOR) {
      return;
    }
    if (this == WRITE) {
      throw ApiException.forbidden("a spectator link is read-only");
    }
    if (this == PRIVATE) {
      throw ApiException.forbidden("an agent's memory is private; a spectator link does not reach it");
    }
  }
}
