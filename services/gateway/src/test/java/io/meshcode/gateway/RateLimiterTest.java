package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The per-key rate limit")
class RateLimiterTest {

  @Test
  @DisplayName("allows a burst of the per-minute limit, then refills at that rate")
  void bucket() {
    RateLimiter limiter = new RateLimiter(60);
    long now = 1_000_000;
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.acquire("k", now)).isZero();
    }
    assertThat(limiter.acquire("k", now)).isEqualTo(1);
    assertThat(limiter.acquire("other", now)).as("keys are counted apart").isZero();
    assertThat(limiter.acquire("k", now + 1000)).as("one token a second").isZero();
    assertThat(limiter.acquire("k", now + 1000)).isEqualTo(1);
  }

  @Test
  @DisplayName("forgets keys whose bucket has refilled, so memory follows recent keys only")
  void eviction() {
    RateLimiter limiter = new RateLimiter(60);
    limiter.acquire("k", 0);
    limiter.evictIdle(30_000);
    assertThat(limiter.acquire("k", 30_000)).isZero();
    limiter.evictIdle(120_000);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.acquire("k", 120_000)).as("a fresh bucket after eviction").isZero();
    }
  }
}
