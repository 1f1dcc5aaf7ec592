package io.meshcode.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key: {@code perMinute} requests a minute on average, bursts up to the same
 * number. Kept in each gateway replica's memory: with N replicas behind a load balancer a key
 * gets up to N times the limit, which docs/CONFIG.md says; it protects each replica, it is not
 * a quota.
 */
final class RateLimiter {

  private final double perMilli;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updatedAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedAt = now;
    }
  }

  RateLimiter(int perMinute) {
    this.perMilli = perMinute / 60_000.0;
    this.burst = perMinute;
  }

  /** 0 when the request may go ahead, else how many seconds until it may. */
  long acquire(String key, long nowMillis) {
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowMillis));
    synchronized (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + (nowMillis - bucket.updatedAt) * perMilli);
      bucket.updatedAt = nowMillis;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perMilli / 1000));
    }
  }

  /** 0 when {@code key} has a token left (none is taken), else how many seconds until it has. */
  long waitFor(String key, long nowMillis) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return 0;
    }
    synchronized (bucket) {
      double tokens = Math.min(burst, bucket.tokens + (nowMillis - bucket.updatedAt) * perMilli);
      return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000));
    }
  }

  /** Forgets buckets that have refilled, so memory stays bounded by the keys active lately. */
  void evictIdle(long nowMillis) {
    buckets.entrySet().removeIf(entry -> {
      Bucket bucket = entry.getValue();
      synchronized (bucket) {
        return bucket.tokens + (nowMillis - bucket.updatedAt) * perMilli >= burst;
      }
    });
  }
}
