package io.meshcode.tasks;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.http.ApiException;
import java.util.UUID;

/**
 * Who acts in one meshwork: the agent the token names (a guest's own slot, or the agent of an
 * agent route), or {@value #OWNER} for an owner acting on a meshwork route without one.
 */
record Actor(UUID meshwork, String agent) {

  static final String OWNER = "owner";

  /** The agent a write on a meshwork route acts as: the token's, or "owner" for an owner without one. */
  static Actor of(UUID meshwork, InternalPrincipal caller) {
    if (caller.agent() != null) {
      return new Actor(meshwork, caller.agent());
    }
    if (caller.kind() == KeyKind.OWNER) {
      return new Actor(meshwork, OWNER);
    }
    throw ApiException.forbidden("this guest token names no agent");
  }
}
