package io.meshcode.core.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/**
 * The short-lived signed token the gateway attaches to every request it forwards (ES256). A
 * service holding only the public key can verify it but never mint one.
 */
public final class InternalTokens {

  static final String ISSUER = "meshcode-gateway";
  static final String AUDIENCE = "meshcode-services";
  static final String ALGORITHM = "ES256";
  public static final int LIFETIME_SECONDS = 60;

  private final JWTAuth jwt;
  private final boolean canSign;

  private InternalTokens(JWTAuth jwt, boolean canSign) {
    this.jwt = jwt;
    this.canSign = canSign;
  }

  /** For the gateway: signs and verifies. */
  public static InternalTokens signer(Vertx vertx, InternalKeys keys) {
    JWTAuthOptions options = options()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.privateKeyPem()))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.publicKeyPem()));
    return new InternalTokens(JWTAuth.create(vertx, options), true);
  }

  /** For every other service: verifies only. */
  public static InternalTokens verifier(Vertx vertx, String publicKeyPem) {
    JWTAuthOptions options = options()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(publicKeyPem));
    return new InternalTokens(JWTAuth.create(vertx, options), false);
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
    return jwt.generateToken(principal.toClaims(), new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE))
        .setExpiresInSeconds(LIFETIME_SECONDS));
  }

  /** Fails for a missing, forged, expired or foreign token. */
  public Future<InternalPrincipal> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> InternalPrincipal.fromClaims(user.principal()));
  }
}
