package io.meshcode.invites;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/** Issuing, listing and revoking invites, and redeeming one for a new guest key. */
final class InviteHandlers {

  static final int DEFAULT_DAYS = 7;
  static final int MAX_DAYS = 30;
  static final int DISPLAY_NAME_MAX = 80;
  // Far above any real key, so a long string is a 404 like any other unknown token, not a 400.
  static final int TOKEN_MAX = 512;

  private final InviteRepository invites;
  private final JoinRepository joins;
  private final InvitesSettings settings;

  InviteHandlers(InviteRepository invites, JoinRepository joins, InvitesSettings settings) {
    this.invites = invites;
    this.joins = joins;
    this.settings = settings;
  }

  Future<Reply> create(RoutingContext ctx, Meshwork meshwork) {
    JsonInput body = JsonInput.of(ctx, "agent", "role", "days");
    String agent = body.requiredName("agent", Names.NAME, Names.RULE);
    Optional<String> role = body.optionalString("role", MeshworkHandlers.ROLE_MAX);
    int days = body.optionalInt("days", 1, MAX_DAYS).orElse(DEFAULT_DAYS);
    return invites.create(meshwork, agent, role, days).map(issued -> Reply.created(issued.toJson(settings)));
  }

  Future<Reply> list(RoutingContext ctx, Meshwork meshwork) {
    return invites.list(meshwork).map(all -> Reply.ok(new JsonObject()
        .put("invites", new JsonArray(all.stream().map(Invite::toJson).toList()))));
  }

  Future<Reply> revoke(RoutingContext ctx, Meshwork meshwork) {
    UUID id = Sql.uuid(ctx.pathParam("id")).orElseThrow(InviteRepository::notFound);
    return invites.revoke(meshwork, id).map(revoked -> Reply.ok(revoked.invite().toJson().put("revoked", revoked.now())));
  }

  Future<Reply> join(RoutingContext ctx, InternalPrincipal caller) {
    JsonInput body = JsonInput.of(ctx, "token", "display_name");
    String token = body.requiredString("token", TOKEN_MAX);
    String displayName = displayName(body);
    if (!SecretKeys.isWellFormed(token, SecretKeys.INVITE)) {
      throw InviteRepository.notFound();
    }
    return joins.redeem(token, displayName).map(joined -> Reply.created(joined.toJson()));
  }

  /** One line of 1-80 characters, without surrounding blanks. */
  private static String displayName(JsonInput body) {
    String name = body.requiredString("display_name", DISPLAY_NAME_MAX).strip();
    if (name.isEmpty() || name.contains("\n") || name.contains("\t")) {
      throw ApiException.badRequest("'display_name' must be one line of 1-" + DISPLAY_NAME_MAX + " characters");
    }
    return name;
  }
}
