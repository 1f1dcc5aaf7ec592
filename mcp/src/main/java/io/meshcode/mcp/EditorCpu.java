package io.meshcode.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the editor's CPU time, so a heartbeat can say the editor is busy (the agent is thinking
 * or writing) even when it calls no tool. The editor is this process's parent, or the parent's
 * parent when a shell script started us. On Linux the time comes from {@code /proc/<pid>/stat}
 * (utime + stime); elsewhere from {@link ProcessHandle.Info#totalCpuDuration()}.
 */
final class EditorCpu {

  /** A busy editor uses at least this share of one core between two samples. */
  static final double BUSY_SHARE = 0.05;
  private static final Logger LOG = LoggerFactory.getLogger(EditorCpu.class);
  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "fish", "ksh", "cmd.exe", "powershell.exe", "pwsh");
  /** USER_HZ: the unit of /proc's CPU times, 100 on every Linux ABI the JDK runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private final ProcessHandle editor;
  private final Path stat;
  private final LongSupplier nanoTime;
  private long lastCpuNanos = -1;
  private long lastSampleNanos;

  EditorCpu(ProcessHandle editor) {
    this(editor, System::nanoTime);
  }

  /** For tests: {@code nanoTime} stands in for {@link System#nanoTime()}, so an interval between samples needs no waiting. */
  EditorCpu(ProcessHandle editor, LongSupplier nanoTime) {
    this.editor = editor;
    this.nanoTime = nanoTime;
    Path procStat = editor == null ? null : Path.of("/proc", Long.toString(editor.pid()), "stat");
    this.stat = procStat != null && Files.isReadable(procStat) ? procStat : null;
  }

  /** The editor this server runs in: the parent process, past any shell in between. */
  static EditorCpu ofEditor() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent != null && isShell(parent)) {
      parent = parent.parent().orElse(parent);
    }
    EditorCpu cpu = new EditorCpu(parent);
    LOG.debug("sampling the CPU of the editor, pid {}", parent == null ? "unknown" : parent.pid());
    return cpu;
  }

  private static boolean isShell(ProcessHandle process) {
    return process.info().command()
        .map(command -> Path.of(command).getFileName().toString())
        .map(SHELLS::contains)
        .orElse(false);
  }

  /**
   * True when the editor used at least {@link #BUSY_SHARE} of a core since the last sample; false
   * on the first sample or when its CPU time cannot be read.
   */
  synchronized boolean busySinceLastSample() {
    long now = nanoTime.getAsLong();
    Optional<Long> cpu = cpuNanos();
    if (cpu.isEmpty()) {
      return false;
    }
    boolean busy = false;
    if (lastCpuNanos >= 0 && now > lastSampleNanos) {
      busy = (double) (cpu.get() - lastCpuNanos) / (now - lastSampleNanos) >= BUSY_SHARE;
    }
    lastCpuNanos = cpu.get();
    lastSampleNanos = now;
    return busy;
  }

  /** The editor's total CPU time so far. */
  Optional<Long> cpuNanos() {
    if (editor == null) {
      return Optional.empty();
    }
    if (stat != null) {
      try {
        return Optional.of(parseStat(Files.readString(stat, StandardCharsets.US_ASCII)));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return editor.info().totalCpuDuration().map(Duration::toNanos);
  }

  /** utime + stime of a {@code /proc/<pid>/stat} line, in nanoseconds. The name may hold spaces and ')'. */
  static long parseStat(String line) {
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }
}
