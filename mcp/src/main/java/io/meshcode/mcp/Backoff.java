package io.meshcode.mcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The clients' one back-off (the MCP server's wait and the CLI's board), the same rule as the
 * services' {@code io.meshcode.core.retry.Backoff}, which the clients do not depend on: the first
 * retry waits {@code first}, each further one twice as long up to {@code max}, a success starts
 * over. Not thread-safe: each retry loop owns one.
 */
public final class Backoff {

  private final Duration first;
  private final Duration max;
  private Duration next;

  public Backoff(Duration first, Duration max) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("a back-off needs 0 < first <= max, got " + first + " and " + max);
    }
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** The delay before the retry about to be made; the one after it doubles. */
  public Duration next() {
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return delay;
  }

  /** The delay the next retry would wait, without using it up. */
  public Duration peek() {
    return next;
  }

  /** A success: the next failure waits the first delay again. */
  public void reset() {
    next = first;
  }
}
