package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The editor's CPU sampling")
class EditorCpuTest {

  @Test
  @DisplayName("reads utime and stime from a /proc stat line whose name holds spaces and parentheses")
  void parsesStat() {
    String line = "4242 (node (Claude) x) S 1 4242 4242 0 -1 4194304 1000 0 0 0 250 50 0 0 20 0 11 0 100 0 0";
    assertThat(EditorCpu.parseStat(line)).isEqualTo(300 * 10_000_000L);
  }

  @Test
  @DisplayName("finds a process that burns CPU busy, and an idle one not")
  void busyAndIdle() throws Exception {
    EditorCpu self = new EditorCpu(ProcessHandle.current());
    assertThat(self.cpuNanos()).isPresent();
    self.busySinceLastSample();
    long end = System.nanoTime() + 300_000_000L;
    double sink = 0;
    while (System.nanoTime() < end) {
      sink += Math.sqrt(sink + 1);
    }
    assertThat(sink).isPositive();
    assertThat(self.busySinceLastSample()).isTrue();

    Process sleeper = new ProcessBuilder("sleep", "5").start();
    try {
      AtomicLong now = new AtomicLong();
      EditorCpu idle = new EditorCpu(sleeper.toHandle(), now::get);
      idle.busySinceLastSample();
      now.addAndGet(300_000_000L);
      assertThat(idle.busySinceLastSample()).isFalse();
    } finally {
      sleeper.destroy();
    }
  }
}
