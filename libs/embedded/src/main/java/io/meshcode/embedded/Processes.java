package io.meshcode.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Whether a process still runs, for the servers here and for tests that check none is left behind. */
public final class Processes {

  private Processes() {
  }

  /**
   * Alive and not a zombie. An orphan that exited stays a zombie until PID 1 reaps it, which
   * can take seconds (or forever in a container whose PID 1 does not reap); it holds no
   * ports or locks any more, yet {@link ProcessHandle#isAlive()} still reports it.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException noProcFs) {
      return process.isAlive();
    }
  }

  /** Polls until {@code process} is no longer {@linkplain #isRunning running}; false on timeout. */
  public static boolean awaitExit(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !isRunning(process);
      }
    }
    return true;
  }

}
