package io.meshcode.core.auth;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Who a request is for, as the gateway vouches for it in the internal token. Services scope
 * every query by it: {@code meshwork} and {@code agent} are null for an owner, whose reach is
 * every meshwork of {@code account}. {@code vouched} holds what else the gateway checked for this
 * one request (a send's resolved recipients, say), or null.
 */
public record InternalPrincipal(String account, KeyKind kind, String meshwork, String agent, JsonObject vouched) {

  /**
   * What kind of key the caller presented. {@code SYSTEM} is the gateway acting for itself (to
   * resolve a key, or to redeem an invite for a caller who has no key yet), never a user.
   */
  public enum KeyKind {
    OWNER, GUEST, SPECTATOR, SYSTEM;

    public String wireName() {
      return name().toLowerCase();
    }

    static KeyKind fromWire(String value) {
      for (KeyKind kind : values()) {
        if (kind.wireName().equals(value)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown key kind: " + value);
    }
  }

  /** The gateway's own principal for calls it makes on its own behalf. */
  public static InternalPrincipal system() {
    return new InternalPrincipal("gateway", KeyKind.SYSTEM, null, null);
  }

  public InternalPrincipal {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(kind, "kind");
  }

  public InternalPrincipal(String account, KeyKind kind, String meshwork, String agent) {
    this(account, kind, meshwork, agent, null);
  }

  /** The same caller, with {@code vouched} facts for one request. */
  public InternalPrincipal vouching(JsonObject facts) {
    return new InternalPrincipal(account, kind, meshwork, agent, facts);
  }

  JsonObject toClaims() {
    JsonObject claims = new JsonObject().put("sub", account).put("kind", kind.wireName());
    if (meshwork != null) {
      claims.put("meshwork", meshwork);
    }
    if (agent != null) {
      claims.put("agent", agent);
    }
    if (vouched != null) {
      claims.put("vouched", vouched);
    }
    return claims;
  }

  static InternalPrincipal fromClaims(JsonObject claims) {
    String account = claims.getString("sub");
    String kind = claims.getString("kind");
    if (account == null || kind == null) {
      throw new IllegalArgumentException("internal token lacks sub or kind");
    }
    return new InternalPrincipal(
        account, KeyKind.fromWire(kind), claims.getString("meshwork"), claims.getString("agent"), claims.getJsonObject("vouched"));
  }
}
