package io.meshcode.bench;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The messaging benchmark (docs/PERFORMANCE.md): starts the local mesh as its own process on a
 * fresh data folder and measures, in one run, the raw Kafka produce → consume latency on its
 * broker (the floor), send → wake latency between two agents through the gateway, sustained
 * durable sends with 10 waiting agents, and heap per parked wait. Prints a table.
 *
 * <p>Options ({@code --name=value}): jar (local/target/meshcode-local.jar), rate (1000 msg/s),
 * seconds (20), warmup (5), senders (64), waits (10000), heap (2g, of the mesh process), jit (60 s of
 * uncounted sends first, so the measured runs see compiled code, as on a mesh that has run a while),
 * sessions (on: the sending and waiting agents hold sessions, as under the MCP server; off: they
 * have none, and so no status to change), replicas (empty: every service in the mesh's own JVM; else
 * passed to {@code run-mesh --replicas}, every replica its own process, and the table then also gives
 * each part's CPU per durable send, which sizes a deployment; heap per parked wait is then not measured).
 */
public final class MessagingBench {

  private MessagingBench() {}

  /**
   * Each part's CPU per durable send over the whole throughput run (its warm-up, its measured
   * seconds and the drain: every send accepted, delivered to its one recipient, waited for and
   * acknowledged), and what one core of that part would carry at that cost: the sizing of a replica.
   */
  private static void printCpu(Map<String, Duration> cpu, Map<String, Integer> replicas, Throughput.Result throughput) {
    double sent = throughput.accepted();
    System.out.println();
    System.out.printf("CPU by part over the durable-send run (%.0f sends accepted, delivered and acknowledged; every replica its own process):%n", sent);
    System.out.println("| part | replicas | CPU s | CPU ms per send | sends/s one core carries |");
    System.out.println("|---|---|---|---|---|");
    cpu.forEach((part, used) -> {
      double perSend = used.toNanos() / 1e6 / sent;
      System.out.printf("| %s | %s | %.1f | %.3f | %s |%n", part, replicas.getOrDefault(part, 1), used.toNanos() / 1e9, perSend,
          perSend > 0 ? String.format("%,.0f", 1 / perSend * 1000) : "—");
    });
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args, Map.of(
        "jar", "local/target/meshcode-local.jar", "rate", "1000", "seconds", "20", "warmup", "5",
        "senders", "64", "waits", "10000", "heap", "2g", "jit", "60", "sessions", "on", "replicas", ""));
    String replicas = options.text("replicas");
    int rate = options.number("rate");
    int seconds = options.number("seconds");
    int warmup = options.number("warmup");
    int senders = options.number("senders");
    int waits = options.number("waits");
    int jit = options.number("jit");
    boolean sessions = options.onOff("sessions");

    System.out.printf("MeshCode messaging benchmark: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.println(replicas.isEmpty()
        ? "Starting the local mesh (broker, PostgreSQL and every service in one process) …"
        : "Starting the local mesh with --replicas " + replicas + " (every replica its own process) …");
    Vertx vertx = Vertx.vertx();
    try (MeshProcess mesh = MeshProcess.start(Path.of(options.text("jar")), options.text("heap"), replicas)) {
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 256);

      System.out.printf("Kafka produce → consume floor at %d/s for %d s …%n", rate, seconds);
      Latencies floor = KafkaFloor.measure(mesh.kafkaBootstrap(), rate, seconds, warmup);

      // A mesh that has run a while has its hot paths compiled; a fresh one needs thousands of requests.
      System.out.printf("Warming the mesh up with %d s of sends (not counted) …%n", jit);
      Throughput.measure(api, senders, jit, 0, sessions);

      System.out.printf("Durable sends with %d waiting agents, %d senders, for %d s (sessions %s) …%n", Throughput.AGENTS, senders, seconds,
          sessions ? "on" : "off");
      Map<String, Duration> cpuBefore = ProcessCpu.sample(mesh);
      Throughput.Result throughput = Throughput.measure(api, senders, seconds, warmup, sessions);
      Map<String, Duration> cpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample(mesh));

      System.out.printf("Send → wake between two agents at %d msg/s for %d s …%n", rate, seconds);
      WakeLatency.Result wake = WakeLatency.measure(api, rate, seconds, warmup, sessions);

      ParkedWaitMemory.Result memory = null;
      if (replicas.isEmpty() && waits > 0) {
        System.out.printf("Parking %d waits …%n", waits);
        Api waiters = new Api(vertx, mesh.port(), mesh.ownerKey(), waits + 100);
        memory = ParkedWaitMemory.measure(mesh, api, waiters, waits);
        waiters.close();
      }

      System.out.println();
      System.out.println("| measure | result | target |");
      System.out.println("|---|---|---|");
      System.out.printf("| Kafka produce → consume (floor), %d/s | %s | — |%n", rate, floor.summary());
      System.out.printf("| send → wake through the gateway, %d msg/s | %s | p50 ≤ 2 ms, p99 ≤ 10 ms |%n", rate, wake.wake().summary());
      System.out.printf("| send answered (201), same run | %s | — |%n", wake.accepted().summary());
      System.out.printf("| durable sends/s, %d waiting agents, %d senders | %.0f/s (%d accepted, %d errors, %d received, drained in %.1f s) | ≥ 5,000/s |%n",
          Throughput.AGENTS, senders, throughput.sendsPerSecond(), throughput.accepted(), throughput.errors(), throughput.received(),
          throughput.drainSeconds());
      if (memory != null) {
        System.out.printf("| heap per parked wait, %d parked | %.1f KB (live heap %.1f → %.1f MB) | ≤ 20 KB |%n",
            memory.waits(), memory.bytesPerWait() / 1024, memory.before() / 1048576.0, memory.parked() / 1048576.0);
      }
      if (!replicas.isEmpty()) {
        printCpu(cpu, ProcessCpu.replicas(mesh), throughput);
      }
      if (wake.errors() > 0) {
        System.out.println("send errors during the latency run: " + wake.errors());
      }
      api.close();
    } finally {
      vertx.close();
    }
  }
}
