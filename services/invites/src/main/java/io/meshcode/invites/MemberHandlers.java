package io.meshcode.invites;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.VouchedPerson;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Members and spectator links of a meshwork, and resolving the keys they hold for the gateway. */
final class MemberHandlers {

  static final int SPECTATOR_MAX_DAYS = 365;
  private static final int KEY_HASH_HEX_LENGTH = 64;
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private final MemberRepository members;
  private final SpectatorRepository spectators;
  private final InvitesSettings settings;

  MemberHandlers(MemberRepository members, SpectatorRepository spectators, InvitesSettings settings) {
    this.members = members;
    this.spectators = spectators;
    this.settings = settings;
  }

  Future<Reply> list(RoutingContext ctx, Meshwork meshwork) {
    return members.list(meshwork).map(all -> {
      JsonObject vouched = InternalAuthHandler.principal(ctx).vouched();
      JsonArray json = new JsonArray().add(Member.ownerJson(vouched == null ? null : vouched.getString(VouchedPerson.CLAIM)));
      all.forEach(member -> json.add(member.toJson()));
      return Reply.ok(new JsonObject().put("members", json));
    });
  }

  Future<Reply> revoke(RoutingContext ctx, Meshwork meshwork) {
    String id = ctx.pathParam("id");
    if ("owner".equals(id)) {
      throw ApiException.badRequest("the owner cannot be removed from a meshwork; delete the meshwork instead");
    }
    UUID memberId = Sql.uuid(id).orElseThrow(() -> ApiException.notFound("meshwork '" + meshwork.name() + "' has no member with that id"));
    return members.revoke(meshwork, memberId).map(Reply::ok);
  }

  Future<Reply> createSpectatorLink(RoutingContext ctx, Meshwork meshwork) {
    JsonInput body = JsonInput.of(ctx, "days");
    return spectators.create(meshwork, body.optionalInt("days", 1, SPECTATOR_MAX_DAYS))
        .map(issued -> Reply.created(issued.toJson(settings)));
  }

  Future<Reply> listSpectatorLinks(RoutingContext ctx, Meshwork meshwork) {
    return spectators.list(meshwork).map(all -> Reply.ok(new JsonObject()
        .put("spectator_links", new JsonArray(all.stream().map(SpectatorLink::toJson).toList()))));
  }

  Future<Reply> revokeSpectatorLink(RoutingContext ctx, Meshwork meshwork) {
    UUID id = Sql.uuid(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("meshwork '" + meshwork.name() + "' has no spectator link with that id"));
    return spectators.revoke(meshwork, id).map(v -> Reply.noContent());
  }

  /**
   * What a presented guest key or spectator token stands for. The shape is checked before the
   * database is asked, so garbage costs no query; every miss is the same 404. The gateway may
   * also ask by {@code key_hash} (hex SHA-256) and {@code kind}: a dashboard session keeps only
   * the hash of the key that signed it in, and must fail the moment that key does.
   */
  Future<Reply> resolve(RoutingContext ctx, InternalPrincipal caller) {
    JsonInput body = JsonInput.of(ctx, "key", "key_hash", "kind");
    Optional<String> hash = body.optionalString("key_hash", KEY_HASH_HEX_LENGTH);
    Future<Optional<ResolvedKey>> found;
    if (hash.isPresent()) {
      if (body.value("key") != null) {
        throw ApiException.badRequest("give either 'key' or 'key_hash', not both");
      }
      found = resolveHash(hash.get(), body.requiredString("kind", 20));
    } else {
      String key = body.requiredString("key", InviteHandlers.TOKEN_MAX);
      if (SecretKeys.isWellFormed(key, SecretKeys.SPECTATOR)) {
        found = spectators.resolve(SecretKeys.hash(key));
      } else if (SecretKeys.isWellFormed(key, SecretKeys.GUEST)) {
        found = members.resolve(SecretKeys.hash(key));
      } else {
        found = Future.succeededFuture(Optional.empty());
      }
    }
    return found.compose(resolved -> resolved
        .map(live -> Future.succeededFuture(Reply.ok(live.toJson())))
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no such key (it may have been revoked or expired)"))));
  }

  private Future<Optional<ResolvedKey>> resolveHash(String hex, String kind) {
    if (hex.length() != KEY_HASH_HEX_LENGTH || !HEX.matcher(hex).matches()) {
      throw ApiException.badRequest("'key_hash' must be a SHA-256 hash in hex (64 characters)");
    }
    byte[] hash = HexFormat.of().parseHex(hex);
    return switch (kind) {
      case "guest" -> members.resolve(hash);
      case "spectator" -> spectators.resolve(hash);
      default -> throw ApiException.badRequest("'kind' must be guest or spectator");
    };
  }
}
