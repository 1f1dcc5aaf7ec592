package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for something the mesh does in the background (a consumer, a sweep) to show. */
public final class Eventually {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Eventually() {}

  /**
   * Reads every 50 ms until {@code read} answers {@code expected}, for up to 20 s, and asserts the
   * last answer is it. A read that succeeds is not made again.
   */
  public static <T> void equalTo(Supplier<T> read, T expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T answer = read.get();
    while (!expected.equals(answer) && System.nanoTime() < deadline) {
      ServiceUnderTest.sleep(50);
      answer = read.get();
    }
    assertThat(answer).isEqualTo(expected);
  }
}
