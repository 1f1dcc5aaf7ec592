package io.meshcode.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/** Calls an action at a steady rate (open loop: a slow answer never delays the next call). */
final class Pacer {

  private Pacer() {}

  /** Runs {@code action(i)} {@code rate} times a second for {@code seconds}, on the calling thread. */
  static void run(int rate, int seconds, LongConsumer action) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    for (long i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      action.accept(i);
    }
  }
}
