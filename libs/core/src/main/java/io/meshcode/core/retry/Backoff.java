package io.meshcode.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * The one back-off every retry loop of the services uses: the first retry waits {@link #first()},
 * each further one twice as long up to {@link #max()}, and a success starts again from the first.
 * Not thread-safe: each loop owns one and uses it from its own context.
 */
public final class Backoff {

  /** What the services use for their start-up steps, consumers and outbox relays. */
  public static final Duration FIRST = Duration.ofMillis(500);
  public static final Duration MAX = Duration.ofSeconds(5);

  private final long firstMs;
  private final long maxMs;
  private long nextMs;

  public Backoff(Duration first, Duration max) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("a back-off needs 0 < first <= max, got " + first + " and " + max);
    }
    this.firstMs = first.toMillis();
    this.maxMs = max.toMillis();
    this.nextMs = firstMs;
  }

  /** 500 ms doubling to 5 s. */
  public static Backoff standard() {
    return new Backoff(FIRST, MAX);
  }

  /** The delay before the retry about to be scheduled, in milliseconds; the one after it doubles. */
  public long nextMillis() {
    long delay = nextMs;
    nextMs = Math.min(nextMs * 2, maxMs);
    return delay;
  }

  /** The delay the next retry would wait, without using it up. */
  public long peekMillis() {
    return nextMs;
  }

  /** A success: the next failure waits the first delay again. */
  public void reset() {
    nextMs = firstMs;
  }

  public Duration first() {
    return Duration.ofMillis(firstMs);
  }

  public Duration max() {
    return Duration.ofMillis(maxMs);
  }
}
