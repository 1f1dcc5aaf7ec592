package io.meshcode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each part of a local mesh's peak memory over a run, sampled from /proc every {@code everyMs}
 * on its own thread: the sum of its processes' resident set (RSS) and of their proportional set
 * (PSS), which counts memory shared between processes (PostgreSQL's shared buffers, mapped by
 * every backend) once, divided among them. Also the machine's peak one-minute load average.
 */
final class PeakMemory implements AutoCloseable {

  /** A part's peaks in bytes. */
  record Peak(long rss, long pss) {}

  private final MeshProcess mesh;
  private final Map<String, Peak> peaks = new TreeMap<>();
  private final Thread sampler;
  private double peakLoad;
  private volatile boolean running = true;

  private PeakMemory(MeshProcess mesh, long everyMs) {
    this.mesh = mesh;
    this.sampler = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(everyMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peak-memory");
    sampler.setDaemon(true);
  }

  static PeakMemory start(MeshProcess mesh, long everyMs) {
    PeakMemory memory = new PeakMemory(mesh, everyMs);
    memory.sampler.start();
    return memory;
  }

  /** Each part's peak so far (the benchmark's own JVM as {@code bench (the agents)}). */
  synchronized Map<String, Peak> peaks() {
    return new TreeMap<>(peaks);
  }

  synchronized double peakLoad() {
    return peakLoad;
  }

  private void sample() {
    Map<String, List<ProcessHandle>> parts = new TreeMap<>(ProcessCpu.processes(mesh));
    parts.put("bench (the agents)", List.of(ProcessHandle.current()));
    Map<String, Peak> now = new TreeMap<>();
    parts.forEach((part, processes) -> now.put(part, new Peak(
        processes.stream().mapToLong(process -> kilobytes(process, "status", "VmRSS:")).sum() * 1024,
        processes.stream().mapToLong(process -> kilobytes(process, "smaps_rollup", "Pss:")).sum() * 1024)));
    double load = oneMinuteLoad();
    synchronized (this) {
      now.forEach((part, peak) -> peaks.merge(part, peak, (a, b) -> new Peak(Math.max(a.rss(), b.rss()), Math.max(a.pss(), b.pss()))));
      peakLoad = Math.max(peakLoad, load);
    }
  }

  /** A {@code kB} field of /proc/<pid>/<file>, or 0 when the process is gone or the file unreadable. */
  static long kilobytes(ProcessHandle process, String file, String field) {
    try {
      return field(Files.readString(Path.of("/proc", Long.toString(process.pid()), file)), field);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The value of a {@code Name:   1234 kB} line, in kB; 0 when there is none. */
  static long field(String text, String field) {
    for (String line : text.split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  private static double oneMinuteLoad() {
    try {
      return Double.parseDouble(RunFacts.loadAverage().split(" ")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join();
  }
}
