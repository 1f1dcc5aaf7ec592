package io.meshcode.gateway;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.http.ClientAddress;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's settings: the common ones plus its signing key, the services behind it and the
 * edge's limits.
 *
 * @param scopeCacheMillis how long a replica keeps a caller's meshwork scope ({@link ScopeCache}); 0 for never
 * @param dashboardSession how long a dashboard session lasts from sign-in (fixed, not sliding)
 * @param metricsTokenHash the SHA-256 of the token a scrape may read {@code /metrics} with, if one is set
 * @param clientAddress who a request's client is: the peer, or what a trusted proxy forwarded ({@code MESHCODE_TRUSTED_PROXIES})
 */
public record GatewaySettings(
    ServiceSettings service,
    InternalKeys internalKeys,
    Map<String, URI> upstreams,
    Optional<String> bootstrapKey,
    URI publicUrl,
    boolean signupEnabled,
    int requestsPerMinute,
    int keyFailuresPerMinute,
    int maxBodyBytes,
    WaitLimits waits,
    int streamQueueBytes,
    long scopeCacheMillis,
    Duration dashboardSession,
    Optional<byte[]> metricsTokenHash,
    ClientAddress clientAddress) {

  public static final int DEFAULT_PORT = 8080;

  /**
   * How long a wait holds when its caller names no time ({@code defaultSeconds}), and the most it
   * may ask for ({@code maxSeconds}): below the editors' 60 s tool-call timeout by default.
   */
  public record WaitLimits(int defaultSeconds, int maxSeconds) {}

  public static GatewaySettings from(EnvConfig env) {
    ServiceSettings service = ServiceSettings.from(env, "gateway", DEFAULT_PORT);
    String privateKey = env.requiredSecret("MESHCODE_INTERNAL_PRIVATE_KEY", "the PEM private key that signs internal tokens");
    if (!privateKey.contains("BEGIN PRIVATE KEY")) {
      throw new ConfigException("MESHCODE_INTERNAL_PRIVATE_KEY", "a PKCS#8 PEM private key (BEGIN PRIVATE KEY)", null);
    }
    // Tokens signed with a key the services do not know would all be refused: during a rotation the
    // new public key goes to every service first (docs/DEPLOY.md), and this gateway waits for it.
    if (!InternalKeys.signsForOneOf(privateKey, service.internalPublicKeyPem())) {
      throw new ConfigException("MESHCODE_INTERNAL_PRIVATE_KEY: not the private half of any key in MESHCODE_INTERNAL_PUBLIC_KEY;"
          + " to rotate, add the new public key there and roll every service before the gateway signs with the new private key");
    }
    Map<String, URI> upstreams = new LinkedHashMap<>();
    upstreams.put("bus", env.httpUrl("MESHCODE_BUS_URL", "http://127.0.0.1:8081"));
    upstreams.put("memory", env.httpUrl("MESHCODE_MEMORY_URL", "http://127.0.0.1:8082"));
    upstreams.put("tasks", env.httpUrl("MESHCODE_TASKS_URL", "http://127.0.0.1:8083"));
    upstreams.put("invites", env.httpUrl("MESHCODE_INVITES_URL", "http://127.0.0.1:8084"));

    Optional<String> bootstrapKey = env.secret("MESHCODE_BOOTSTRAP_KEY");
    if (bootstrapKey.isPresent() && !SecretKeys.isWellFormed(bootstrapKey.get(), SecretKeys.OWNER)) {
      throw new ConfigException("MESHCODE_BOOTSTRAP_KEY", "an owner key: mc_ followed by 32-128 letters and digits", null);
    }
    Optional<String> metricsToken = env.secret("MESHCODE_METRICS_TOKEN");
    if (metricsToken.isPresent() && !metricsToken.get().matches("[A-Za-z0-9_.~+/=-]{32,256}")) {
      throw new ConfigException("MESHCODE_METRICS_TOKEN", "32-256 letters, digits or -._~+/=", null);
    }
    return new GatewaySettings(
        service,
        new InternalKeys(privateKey, service.internalPublicKeyPem()),
        Map.copyOf(upstreams),
        bootstrapKey,
        env.httpUrl("MESHCODE_PUBLIC_URL", "http://127.0.0.1:" + DEFAULT_PORT),
        env.bool("MESHCODE_SIGNUP_ENABLED", false),
        env.integer("MESHCODE_RATE_LIMIT_PER_MINUTE", 1200, 1, 1_000_000),
        env.integer("MESHCODE_KEY_FAILURES_PER_MINUTE", 60, 1, 1_000_000),
        env.integer("MESHCODE_MAX_BODY_BYTES", ServiceVerticle.MAX_BODY_BYTES, 1024, ServiceVerticle.MAX_BODY_BYTES),
        waitLimits(env),
        env.integer("MESHCODE_STREAM_QUEUE_BYTES", 256 * 1024, 1024, 64 * 1024 * 1024),
        env.integer("MESHCODE_SCOPE_CACHE_SECONDS", 10, 0, 3600) * 1000L,
        Duration.ofHours(env.integer("MESHCODE_DASHBOARD_SESSION_HOURS", 12, 1, 168)),
        metricsToken.map(SecretKeys::hash),
        trustedProxies(env));
  }

  private static ClientAddress trustedProxies(EnvConfig env) {
    try {
      return ClientAddress.trusting(env.string("MESHCODE_TRUSTED_PROXIES", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("MESHCODE_TRUSTED_PROXIES: " + e.getMessage()
          + " (expected a comma-separated list of IP addresses and CIDR ranges, such as 10.0.0.0/8,fd00::/8)");
    }
  }

  private static WaitLimits waitLimits(EnvConfig env) {
    int max = env.integer("MESHCODE_WAIT_MAX_SECONDS", 55, 1, 600);
    int fallback = env.integer("MESHCODE_WAIT_DEFAULT_SECONDS", Math.min(45, max), 0, 600);
    if (fallback > max) {
      throw new ConfigException("MESHCODE_WAIT_DEFAULT_SECONDS", "at most MESHCODE_WAIT_MAX_SECONDS (" + max + ")", String.valueOf(fallback));
    }
    return new WaitLimits(fallback, max);
  }

  /** The dashboard's origin: the only one CORS lets in. */
  public String publicOrigin() {
    return publicUrl.getScheme() + "://" + publicUrl.getAuthority();
  }

  @Override
  public String toString() {
    return "GatewaySettings[" + service + ", upstreams " + upstreams + ", public " + publicUrl
        + ", bootstrap key " + (bootstrapKey.isPresent() ? "set" : "unset")
        + ", metrics token " + (metricsTokenHash.isPresent() ? "set" : "unset") + ", " + clientAddress + "]";
  }
}
