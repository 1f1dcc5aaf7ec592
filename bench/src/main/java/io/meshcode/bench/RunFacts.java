package io.meshcode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark records of the run it makes, beside its numbers: the machine's load and the commit measured. */
final class RunFacts {

  private RunFacts() {}

  /** The machine's load average (1, 5 and 15 minutes), or "unknown" where /proc does not say. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The commit measured, as the bench scripts pass it ({@code MESHCODE_BENCH_COMMIT}); "unknown" when run otherwise. */
  static String commit() {
    String commit = System.getenv("MESHCODE_BENCH_COMMIT");
    return commit == null || commit.isBlank() ? "unknown" : commit.strip();
  }
}
