package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unknown, malformed and revoked keys, limited per client address: past {@code perMinute}
 * failures (bursts up to the same number) an address's further requests are 429 before their key
 * is looked up, so guessing keys, or a client stuck on a revoked one, cannot load the database.
 * A key this replica has seen succeed lately still goes through (it is checked in full as
 * always), so a bad client behind the same address — a proxy, the loopback — does not lock out
 * the good ones. Kept in each replica's memory, like {@link RateLimiter}.
 */
final class KeyFailureLimit {

  private static final long REMEMBER_GOOD_MILLIS = 10 * 60_000;
  private static final int MAX_GOOD = 10_000;

  private final RateLimiter failures;
  // SHA-256 of keys that authenticated lately, hex, to when they are forgotten: never the keys themselves.
  private final Map<String, Long> good = new ConcurrentHashMap<>();

  KeyFailureLimit(int perMinute) {
    this.failures = new RateLimiter(perMinute);
  }

  /** 0 when a request from {@code address} may have its key checked, else the seconds to wait. */
  long retryAfter(String address, String authorization, long nowMillis) {
    long wait = failures.waitFor(address, nowMillis);
    if (wait == 0) {
      return 0;
    }
    Long until = authorization == null ? null : good.get(hash(authorization));
    return until != null && until > nowMillis ? 0 : wait;
  }

  void failed(String address, long nowMillis) {
    failures.acquire(address, nowMillis);
  }

  void succeeded(String authorization, long nowMillis) {
    if (good.size() >= MAX_GOOD) {
      good.clear();
    }
    good.put(hash(authorization), nowMillis + REMEMBER_GOOD_MILLIS);
  }

  void evictIdle(long nowMillis) {
    failures.evictIdle(nowMillis);
    good.values().removeIf(until -> until <= nowMillis);
  }

  private static String hash(String authorization) {
    return HexFormat.of().formatHex(SecretKeys.hash(authorization));
  }
}
