package io.meshcode.core.http;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;

/**
 * Which kinds of key a route of {@link ScopedRoutes} takes. The gateway has already checked that
 * the meshwork in the path is the caller's and put its id in the token, so the service scopes by
 * that id alone; here only the kind of key is left to check. A service with a stricter rule of its
 * own makes it with {@link #refusingSpectators(String)}.
 */
@FunctionalInterface
public interface MeshworkAccess {

  /** Anyone the meshwork is open to: its owner, its guests, its spectators. */
  MeshworkAccess READ = caller -> {};

  /** Owners and guests: a spectator link only watches. */
  MeshworkAccess WRITE = refusingSpectators("a spectator link is read-only");

  /** Throws an {@link ApiException} (403) when the caller's kind of key may not use the route. */
  void require(InternalPrincipal caller);

  /** Owners and guests only, whatever the method: a spectator gets 403 with {@code message}. */
  static MeshworkAccess refusingSpectators(String message) {
    return caller -> {
      if (caller.kind() == KeyKind.SPECTATOR) {
        throw ApiException.forbidden(message);
      }
    };
  }
}
