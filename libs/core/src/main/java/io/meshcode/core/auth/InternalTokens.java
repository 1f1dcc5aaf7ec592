package io.meshcode.core.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The short-lived signed token the gateway attaches to every request it forwards (ES256). A
 * service holding only the public key can verify it but never mint one.
 *
 * <p>P-256 signatures cost milliseconds of CPU on the JDK, more than the rest of a request, so
 * both sides remember their work: the gateway reuses a token for the same claims while it has at
 * least {@link #REUSE_MIN_SECONDS} to live, and a service remembers a token it verified until the
 * token expires. Neither outlives a token's own 60 s, and neither can widen what a token says:
 * the gateway authenticates every request's key before it asks for a token at all.
 */
public final class InternalTokens {

  static final String ISSUER = "meshcode-gateway";
  static final String AUDIENCE = "meshcode-services";
  static final String ALGORITHM = "ES256";
  public static final int LIFETIME_SECONDS = 60;
  /** A remembered token is handed out again only while it has at least this long to live. */
  static final int REUSE_MIN_SECONDS = 30;
  /** How many tokens each side remembers before it forgets the expired ones (and, if still full, all). */
  static final int REMEMBERED_MAX = 10_000;

  private record Signed(String token, long expiresAtMillis) {}

  private record Verified(InternalPrincipal principal, long expiresAtMillis) {}

  private final Map<String, Signed> signed = new ConcurrentHashMap<>();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private final JWTAuth jwt;
  private final boolean canSign;

  private InternalTokens(JWTAuth jwt, boolean canSign) {
    this.jwt = jwt;
    this.canSign = canSign;
  }

  /** For the gateway: signs and verifies. */
  public static InternalTokens signer(Vertx vertx, InternalKeys keys) {
    JWTAuthOptions options = withPublicKeys(options(), keys.publicKeyPem())
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.privateKeyPem()));
    return new InternalTokens(JWTAuth.create(vertx, options), true);
  }

  /**
   * For every other service: verifies only. {@code publicKeysPem} holds one PEM public key, or
   * several one after the other: a token signed by the private half of any of them is accepted.
   */
  public static InternalTokens verifier(Vertx vertx, String publicKeysPem) {
    return new InternalTokens(JWTAuth.create(vertx, withPublicKeys(options(), publicKeysPem)), false);
  }

  /** One verifying key per PEM block: a token without a key id is checked against each in turn. */
  private static JWTAuthOptions withPublicKeys(JWTAuthOptions options, String publicKeysPem) {
    for (String pem : InternalKeys.publicKeys(publicKeysPem)) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(pem));
    }
    return options;
  }

  private static JWTAuthOptions options() {
    return new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE))
        .setLeeway(5));
  }

  public String issue(InternalPrincipal principal) {
    if (!canSign) {
      throw new IllegalStateException("only the gateway signs internal tokens");
    }
    JsonObject claims = principal.toClaims();
    String key = claims.encode();
    long now = System.currentTimeMillis();
    Signed known = signed.get(key);
    if (known != null && known.expiresAtMillis() - now >= REUSE_MIN_SECONDS * 1000L) {
      return known.token();
    }
    String token = jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE))
        .setExpiresInSeconds(LIFETIME_SECONDS));
    // The token's exp is whole seconds from now (rounded down): remember it as expiring a second early.
    remember(signed, key, new Signed(token, now + (LIFETIME_SECONDS - 1) * 1000L), Signed::expiresAtMillis);
    return token;
  }

  /** Fails for a missing, forged, expired or foreign token. */
  public Future<InternalPrincipal> verify(String token) {
    Verified known = token == null ? null : verified.get(token);
    if (known != null && System.currentTimeMillis() < known.expiresAtMillis()) {
      return Future.succeededFuture(known.principal());
    }
    return jwt.authenticate(new TokenCredentials(token)).map(user -> {
      InternalPrincipal principal = InternalPrincipal.fromClaims(user.principal());
      long exp = expiry(token);
      if (exp > 0) {
        remember(verified, token, new Verified(principal, exp * 1000L), Verified::expiresAtMillis);
      }
      return principal;
    });
  }

  /** The {@code exp} claim of a token that has just been verified (0 if it has none). */
  private static long expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return 0;
    }
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    Long exp = payload.getLong("exp");
    return exp == null ? 0 : exp;
  }

  private static <T> void remember(Map<String, T> memory, String key, T value, ToLongFunction<T> expiresAt) {
    if (memory.size() >= REMEMBERED_MAX) {
      long now = System.currentTimeMillis();
      memory.values().removeIf(entry -> expiresAt.applyAsLong(entry) <= now);
      if (memory.size() >= REMEMBERED_MAX) {
        memory.clear();
      }
    }
    memory.put(key, value);
  }
}
