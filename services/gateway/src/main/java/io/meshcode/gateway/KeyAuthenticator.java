package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a presented key into a {@link Caller}: owner keys from the gateway's own accounts, guest
 * keys and spectator tokens by asking the invites service, which owns them. Nothing is cached, so
 * a revoked key fails on the very next request on every replica. A dashboard session stands for
 * the key that signed it in, resolved by its hash through the same paths ({@link DashboardSessions}),
 * and never counts as the CLI's use of that key ({@link CliFirstUse}).
 */
final class KeyAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(KeyAuthenticator.class);

  private final AccountRepository accounts;
  private final CliFirstUse cliUse;
  private final DashboardSessions sessions;
  private final InternalTokens tokens;
  private final WebClient client;
  private final URI invites;

  KeyAuthenticator(Vertx vertx, AccountRepository accounts, DashboardSessions sessions, InternalTokens tokens, URI invites) {
    this.accounts = accounts;
    this.cliUse = new CliFirstUse(accounts);
    this.sessions = sessions;
    this.tokens = tokens;
    this.invites = invites;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setKeepAlive(true),
        // Vert.x keeps 5 connections per service by default: far too few for a gateway under load.
        new PoolOptions().setHttp1MaxSize(ServiceProxy.UPSTREAM_CONNECTIONS));
  }

  /** The caller, or a 401 saying what is wrong with the header or key; never counted as the CLI's use of the key. */
  Future<Caller> authenticate(String authorization) {
    return authenticate(authorization, null);
  }

  /**
   * The caller, or a 401 saying what is wrong with the header or key; an owner key's request that
   * says it is the CLI's ({@code userAgent}) may first record the account's first CLI use.
   */
  Future<Caller> authenticate(String authorization, String userAgent) {
    if (authorization == null || authorization.isBlank()) {
      return Future.failedFuture(ApiException.unauthorized("an API key is required: send Authorization: Bearer <key>"));
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiException.unauthorized("the Authorization header must be: Bearer <key>"));
    }
    String key = authorization.substring(7).trim();
    if (SecretKeys.isWellFormed(key, SecretKeys.DASHBOARD_SESSION)) {
      return sessions.authenticate(key, this::resolveHash);
    }
    if (SecretKeys.isWellFormed(key, SecretKeys.OWNER)) {
      return accounts.findByOwnerKey(key).compose(found -> found
          .map(owner -> cliUse.note(owner, userAgent).map(Caller.owner(owner.account(), owner.keyId())))
          .orElseGet(() -> Future.failedFuture(unknownKey())));
    }
    if (SecretKeys.isWellFormed(key, SecretKeys.GUEST) || SecretKeys.isWellFormed(key, SecretKeys.SPECTATOR)) {
      return resolveScoped(new JsonObject().put("key", key));
    }
    return Future.failedFuture(ApiException.unauthorized("the API key is malformed"));
  }

  /** The caller of a key known only by its SHA-256 hash, as a dashboard session keeps it. */
  Future<Caller> resolveHash(KeyKind kind, byte[] keyHash) {
    if (kind == KeyKind.OWNER) {
      return accounts.findByOwnerKeyHash(keyHash).compose(found -> found
          .map(owner -> Future.succeededFuture(Caller.owner(owner.account(), owner.keyId())))
          .orElseGet(() -> Future.failedFuture(unknownKey())));
    }
    return resolveScoped(new JsonObject().put("key_hash", HexFormat.of().formatHex(keyHash)).put("kind", kind.wireName()));
  }

  /** Asks the invites service about a guest key or spectator token: {@code {key}} or {@code {key_hash, kind}}. */
  private Future<Caller> resolveScoped(JsonObject query) {
    String token = tokens.issue(InternalPrincipal.system());
    return client.request(HttpMethod.POST, ServiceProxy.target(invites, "/v1/keys/resolve"))
        .putHeader("Authorization", "Bearer " + token)
        .timeout(5000)
        .sendJsonObject(query)
        .recover(failure -> {
          LOG.warn("resolving a scoped key failed: invites service unreachable: {}", failure.getMessage());
          return Future.failedFuture(new ApiException(503, "unavailable", "cannot check the key right now; try again shortly"));
        })
        .compose(response -> {
          if (response.statusCode() == 404) {
            return Future.failedFuture(unknownKey());
          }
          if (response.statusCode() != 200) {
            LOG.warn("resolving a scoped key failed: invites answered {}", response.statusCode());
            return Future.failedFuture(new ApiException(503, "unavailable", "cannot check the key right now; try again shortly"));
          }
          JsonObject found = response.bodyAsJsonObject();
          boolean guest = "guest".equals(found.getString("kind"));
          String id = guest ? found.getString("member_id") : found.getString("link_id");
          return Future.succeededFuture(new Caller(
              guest ? KeyKind.GUEST : KeyKind.SPECTATOR, id, id, false,
              found.getString("display_name"), found.getString("meshwork_id"), found.getString("meshwork"),
              guest ? found.getString("agent") : null));
        });
  }

  private static ApiException unknownKey() {
    return ApiException.unauthorized("the API key is unknown or revoked");
  }

  void close() {
    client.close();
  }
}
