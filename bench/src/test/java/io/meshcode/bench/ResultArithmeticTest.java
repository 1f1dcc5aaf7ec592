package io.meshcode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the benchmark's table and JSON: percentiles and PostgreSQL counter deltas. */
@DisplayName("The messaging benchmark's arithmetic")
class ResultArithmeticTest {

  @Test
  @DisplayName("percentiles are nearest-rank over what was recorded, in milliseconds, and the JSON carries them")
  void percentiles() {
    Latencies latencies = new Latencies();
    for (int ms = 100; ms >= 1; ms--) {
      latencies.add(ms * 1_000_000L);
    }
    assertThat(latencies.percentileMs(50)).isEqualTo(50.0);
    assertThat(latencies.percentileMs(99)).isEqualTo(99.0);
    assertThat(latencies.percentileMs(100)).isEqualTo(100.0);
    JsonObject json = latencies.json();
    assertThat(json.getDouble("p50_ms")).isEqualTo(50.0);
    assertThat(json.getDouble("p90_ms")).isEqualTo(90.0);
    assertThat(json.getDouble("p999_ms")).isEqualTo(100.0);
    assertThat(json.getInteger("n")).isEqualTo(100);
    assertThat(new Latencies().percentileMs(50)).as("nothing recorded").isNaN();
  }

  @Test
  @DisplayName("a process's memory is read from the kB fields of /proc, and a missing field reads as none")
  void procFields() {
    String status = "Name:\tjava\nVmHWM:\t  812340 kB\nVmRSS:\t  790012 kB\nThreads:\t58\n";
    assertThat(PeakMemory.field(status, "VmRSS:")).isEqualTo(790_012);
    assertThat(PeakMemory.field("Rss:  2048 kB\nPss:  1024 kB\n", "Pss:")).isEqualTo(1_024);
    assertThat(PeakMemory.field(status, "Pss:")).isZero();
  }

  @Test
  @DisplayName("an error's kind is the operation and the status it answered, or the exception when none came")
  void errorKinds() {
    ErrorKinds errors = new ErrorKinds();
    assertThat(errors.check("wait", io.vertx.core.Future.failedFuture(new java.util.concurrent.TimeoutException()), 200)).isFalse();
    assertThat(errors.check("wait", io.vertx.core.Future.failedFuture(new java.util.concurrent.TimeoutException()), 200)).isFalse();
    assertThat(errors.counts()).containsExactly(java.util.Map.entry("wait: TimeoutException", 2L));
    assertThat(errors.total()).isEqualTo(2);
  }

  @Test
  @DisplayName("a run's PostgreSQL work is the difference of two samples; row writes are inserts, updates and deletes")
  void counters() {
    MeshDatabase.Counters before = new MeshDatabase.Counters(1_000, 50, 40, 10);
    MeshDatabase.Counters after = new MeshDatabase.Counters(2_650, 4_150, 4_340, 1_110);
    MeshDatabase.Counters run = after.minus(before);
    assertThat(run).isEqualTo(new MeshDatabase.Counters(1_650, 4_100, 4_300, 1_100));
    assertThat(run.rowWrites()).isEqualTo(9_500);
  }
}
