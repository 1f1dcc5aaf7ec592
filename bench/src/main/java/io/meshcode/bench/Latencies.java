package io.meshcode.bench;

import java.util.Arrays;

/** Recorded durations in nanoseconds, and their percentiles. */
final class Latencies {

  private long[] values = new long[1024];
  private int count;

  synchronized void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
  }

  synchronized int count() {
    return count;
  }

  /** Every duration in nanoseconds, in the order recorded. */
  synchronized long[] nanos() {
    return Arrays.copyOf(values, count);
  }

  /** Every duration in whole milliseconds, in the order recorded. */
  synchronized long[] millis() {
    return Arrays.stream(values, 0, count).map(nanos -> Math.round(nanos / 1e6)).toArray();
  }

  /** The p-th percentile (0-100) in milliseconds. */
  synchronized double percentileMs(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1_000_000.0;
  }

  /** p50, p90, p99, p99.9 and max in milliseconds, and the count, for the JSON result. */
  io.vertx.core.json.JsonObject json() {
    return new io.vertx.core.json.JsonObject().put("p50_ms", percentileMs(50)).put("p90_ms", percentileMs(90)).put("p99_ms", percentileMs(99))
        .put("p999_ms", percentileMs(99.9)).put("max_ms", percentileMs(100)).put("n", count());
  }

  String summary() {
    return String.format("p50 %7.2f ms   p99 %7.2f ms   p99.9 %7.2f ms   max %7.2f ms   (n=%d)",
        percentileMs(50), percentileMs(99), percentileMs(99.9), percentileMs(100), count());
  }
}
