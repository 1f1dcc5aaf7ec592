package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.vertx.core.json.JsonObject;

/**
 * Who presented the key of a request. An owner is an account; a guest is one member bound to one
 * agent slot of one meshwork; a spectator is one read-only link to one meshwork.
 *
 * @param id the account id (owner), member id (guest) or link id (spectator)
 * @param keyId what the rate limit counts by: one bucket per key
 * @param dashboardSession whether the request came with a dashboard session ({@code mc_ds_…})
 *     standing for the key, rather than the key itself: the same caller, but some operations
 *     refuse it ({@link DashboardSessions#REFUSED_OPERATIONS})
 */
record Caller(
    KeyKind kind, String id, String keyId, boolean admin, String name,
    String meshworkId, String meshwork, String agent, boolean dashboardSession) {

  Caller(KeyKind kind, String id, String keyId, boolean admin, String name, String meshworkId, String meshwork, String agent) {
    this(kind, id, keyId, admin, name, meshworkId, meshwork, agent, false);
  }

  static Caller owner(Account account, String keyId) {
    return new Caller(KeyKind.OWNER, account.id(), keyId, account.admin(), account.name(), null, null, null);
  }

  /** The same caller, through a dashboard session signed in with its key. */
  Caller throughDashboardSession() {
    return new Caller(kind, id, keyId, admin, name, meshworkId, meshwork, agent, true);
  }

  InternalPrincipal principal() {
    return new InternalPrincipal(id, kind, meshworkId, agent);
  }

  /** What {@code GET /v1/me} answers. */
  JsonObject describe(String version) {
    JsonObject scope = switch (kind) {
      case OWNER -> new JsonObject().put("meshworks", "own");
      case GUEST -> new JsonObject().put("meshwork", meshwork).put("agent", agent);
      default -> new JsonObject().put("meshwork", meshwork).put("read_only", true);
    };
    JsonObject me = new JsonObject().put("kind", kind.wireName()).put("scope", scope).put("version", version);
    if (kind == KeyKind.OWNER) {
      me.put("account", new JsonObject().put("id", id).put("name", name).put("admin", admin));
    } else if (kind == KeyKind.GUEST) {
      me.put("member", new JsonObject().put("id", id).put("display_name", name));
    }
    return me;
  }
}
