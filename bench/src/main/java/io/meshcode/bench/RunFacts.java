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

  /**
   * Writes a benchmark's {@code result} to {@code path}, or, when it is empty, to
   * {@code bench/target/<name>-<started, to the second>.json}; answers where it went.
   */
  static Path writeJson(String name, String path, java.time.Instant started, io.vertx.core.json.JsonObject result) throws IOException {
    Path file = path.isEmpty()
        ? Path.of("bench/target/" + name + "-" + started.toString().replace(":", "").replaceAll("\\.\\d+", "") + ".json")
        : Path.of(path);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, result.encodePrettily() + "\n");
    return file;
  }

  /** The commit measured, as the bench scripts pass it ({@code MESHCODE_BENCH_COMMIT}); "unknown" when run otherwise. */
  static String commit() {
    String commit = System.getenv("MESHCODE_BENCH_COMMIT");
    return commit == null || commit.isBlank() ? "unknown" : commit.strip();
  }
}
