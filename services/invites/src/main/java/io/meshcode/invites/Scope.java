package io.meshcode.invites;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The meshworks a caller reaches: an owner every meshwork of its account, a guest or spectator the
 * one meshwork in its token, and only while its membership or link stands. Anything else is
 * answered as if it did not exist.
 */
final class Scope {

  private final MeshworkRepository meshworks;

  Scope(MeshworkRepository meshworks) {
    this.meshworks = meshworks;
  }

  /** The meshwork named {@code name} if the caller reaches it, else a 404. */
  Future<Meshwork> meshwork(InternalPrincipal caller, String name) {
    Future<Optional<Meshwork>> found = switch (caller.kind()) {
      case OWNER -> meshworks.findOwned(caller.account(), name);
      default -> scoped(caller);
    };
    return found.compose(meshwork -> meshwork.filter(m -> m.name().equals(name))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(notFound(name))));
  }

  /** Every meshwork the caller reaches, by name. */
  Future<List<Meshwork>> all(InternalPrincipal caller) {
    return switch (caller.kind()) {
      case OWNER -> meshworks.listOwned(caller.account());
      default -> scoped(caller).map(meshwork -> meshwork.map(List::of).orElse(List.of()));
    };
  }

  private Future<Optional<Meshwork>> scoped(InternalPrincipal caller) {
    Optional<UUID> meshwork = Sql.uuid(caller.meshwork());
    Optional<UUID> holder = Sql.uuid(caller.account());
    if (meshwork.isEmpty() || holder.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return switch (caller.kind()) {
      case GUEST -> meshworks.findForGuest(meshwork.get(), holder.get());
      case SPECTATOR -> meshworks.findForSpectator(meshwork.get(), holder.get());
      default -> Future.succeededFuture(Optional.empty());
    };
  }

  static ApiException notFound(String name) {
    return ApiException.notFound("no meshwork named '" + name + "'");
  }
}
