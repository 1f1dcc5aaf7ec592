package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The messaging benchmark (docs/PERFORMANCE.md): starts the local mesh as its own process on a
 * fresh data folder and measures, in one run, the raw Kafka produce → consume latency on its
 * broker, one PostgreSQL row committed and an HTTP round trip on loopback (the floors), send → wake
 * latency between two agents through the gateway with the CPU and PostgreSQL transactions it costs
 * per message, sustained durable sends with 10 waiting agents, heap per parked wait, and send → wake
 * again while those waits are still parked (issue 21: the ratios must hold with them). Prints a
 * table with each measure's ratio to its floor, and writes the same as JSON ({@code --json}, by
 * default {@code bench/target/messaging-<time>.json}).
 *
 * <p>Options ({@code --name=value}): jar (local/target/meshcode-local.jar), rate (1000 msg/s),
 * seconds (20), warmup (5), senders (64), waits (10000), heap (2g, of the mesh process), jit (60 s of
 * uncounted sends first, so the measured runs see compiled code, as on a mesh that has run a while),
 * sessions (on: the sending and waiting agents hold sessions, as under the MCP server; off: they
 * have none, and so no status to change), replicas (empty: every service in the mesh's own JVM; else
 * passed to {@code run-mesh --replicas}, every replica its own process, and the table then also gives
 * each part's CPU per durable send, which sizes a deployment; heap per parked wait is then not measured),
 * floor-seconds (10: each of the HTTP and PostgreSQL floors), ack (separate: each batch acknowledged
 * by its own request, as the MCP server's meshcode_done does; carried: by the next wait, {@code ack=}),
 * json (where the JSON result goes), only (empty: everything; heap: only heap per parked wait, on a
 * fresh mesh, with the classes that grew most).
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
    BenchOptions options = BenchOptions.parse(args, Map.ofEntries(
        Map.entry("jar", "local/target/meshcode-local.jar"), Map.entry("rate", "1000"), Map.entry("seconds", "20"),
        Map.entry("warmup", "5"), Map.entry("senders", "64"), Map.entry("waits", "10000"), Map.entry("heap", "2g"),
        Map.entry("jit", "60"), Map.entry("sessions", "on"), Map.entry("replicas", ""), Map.entry("floor-seconds", "10"),
        Map.entry("ack", "separate"), Map.entry("json", ""), Map.entry("only", "")));
    String replicas = options.text("replicas");
    int rate = options.number("rate");
    int seconds = options.number("seconds");
    int warmup = options.number("warmup");
    int senders = options.number("senders");
    int waits = options.number("waits");
    int jit = options.number("jit");
    int floorSeconds = options.number("floor-seconds");
    boolean sessions = options.onOff("sessions");
    boolean carryAck = options.choice("ack", "separate", "carried").equals("carried");
    String only = options.text("only");
    if (!only.isEmpty() && !(only.equals("heap") && replicas.isEmpty() && waits > 0)) {
      System.err.println("--only takes heap (with --waits above 0 and no --replicas), not '" + only + "'");
      System.exit(2);
    }
    Instant startedAt = Instant.now();
    String loadBefore = RunFacts.loadAverage();

    System.out.printf("MeshCode messaging benchmark: %d cores, Java %s, commit %s, load %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), RunFacts.commit(), loadBefore);
    System.out.println(replicas.isEmpty()
        ? "Starting the local mesh (broker, PostgreSQL and every service in one process) …"
        : "Starting the local mesh with --replicas " + replicas + " (every replica its own process) …");
    Vertx vertx = Vertx.vertx();
    try (MeshProcess mesh = MeshProcess.start(Path.of(options.text("jar")), options.text("heap"), replicas);
         MeshDatabase database = MeshDatabase.connect(vertx, mesh)) {
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 256);
      if (only.equals("heap")) {
        ParkedWaitMemory.Result memory = parkWaits(vertx, mesh, api, waits);
        String loadAfter = RunFacts.loadAverage();
        printMemory(memory);
        System.out.printf("Load average before %s, after %s.%n", loadBefore, loadAfter);
        JsonObject result = new JsonObject()
            .put("started_at", startedAt.toString()).put("commit", RunFacts.commit()).put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")).put("load_before", loadBefore).put("load_after", loadAfter)
            .put("options", new JsonObject().put("only", only).put("waits", waits))
            .put("parked_waits", memoryJson(memory));
        System.out.println("The result as JSON: " + RunFacts.writeJson("messaging", options.text("json"), startedAt, result));
        api.close();
        return;
      }

      System.out.printf("Floors: an HTTP round trip on loopback, one PostgreSQL row committed, %d s each …%n", floorSeconds);
      Latencies httpFloor = HttpFloor.measure(vertx, floorSeconds, 2);
      Latencies commitFloor = database.commitFloor(floorSeconds, 2);
      System.out.printf("Kafka produce → consume floor at %d/s for %d s …%n", rate, seconds);
      Latencies kafkaFloor = KafkaFloor.measure(mesh.kafkaBootstrap(), rate, seconds, warmup);

      // A mesh that has run a while has its hot paths compiled; a fresh one needs thousands of requests.
      System.out.printf("Warming the mesh up with %d s of sends (not counted) …%n", jit);
      Throughput.measure(api, senders, jit, 0, sessions, carryAck);

      System.out.printf("Durable sends with %d waiting agents, %d senders, for %d s (sessions %s) …%n", Throughput.AGENTS, senders, seconds,
          sessions ? "on" : "off");
      Map<String, Duration> cpuBefore = ProcessCpu.sample(mesh);
      Throughput.Result throughput = Throughput.measure(api, senders, seconds, warmup, sessions, carryAck);
      Map<String, Duration> throughputCpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample(mesh));

      System.out.printf("Send → wake between two agents at %d msg/s for %d s (with %d s of quiet before and after, for PostgreSQL's counters) …%n",
          rate, seconds, MeshDatabase.SETTLE_MS / 1000);
      MeshDatabase.Counters countersBefore = database.settledCounters();
      Map<String, Duration> wakeCpuBefore = ProcessCpu.sample(mesh);
      WakeLatency.Result wake = WakeLatency.measure(api, rate, seconds, warmup, sessions, carryAck);
      Map<String, Duration> wakeCpu = ProcessCpu.between(wakeCpuBefore, ProcessCpu.sample(mesh));
      MeshDatabase.Counters perRun = database.settledCounters().minus(countersBefore);
      double cpuMsPerMessage = total(wakeCpu).toNanos() / 1e6 / wake.sent();

      ParkedWaitMemory.Result memory = null;
      WakeLatency.Result wakeParked = null;
      if (replicas.isEmpty() && waits > 0) {
        Parked parked = parkWaits(vertx, mesh, api, waits, () -> {
          System.out.printf("Send → wake at %d msg/s for %d s with the %d waits still parked …%n", rate, seconds, waits);
          return WakeLatency.measure(api, rate, seconds, warmup, sessions, carryAck);
        });
        memory = parked.memory();
        wakeParked = parked.wake();
      }
      String loadAfter = RunFacts.loadAverage();

      double wakeP50Ratio = wake.wake().percentileMs(50) / kafkaFloor.percentileMs(50);
      double wakeP99Ratio = wake.wake().percentileMs(99) / kafkaFloor.percentileMs(99);
      double sendFloorMs = httpFloor.percentileMs(50) + commitFloor.percentileMs(50);
      System.out.println();
      System.out.println("| measure | result | ratio to its floor | target |");
      System.out.println("|---|---|---|---|");
      System.out.printf("| floor: HTTP round trip on loopback | %s | — | — |%n", httpFloor.summary());
      System.out.printf("| floor: one PostgreSQL row committed | %s | — | — |%n", commitFloor.summary());
      System.out.printf("| floor: Kafka produce → consume, %d/s | %s | — | — |%n", rate, kafkaFloor.summary());
      System.out.printf("| send → wake through the gateway, %d msg/s | %s | p50 %.1f×, p99 %.1f× the Kafka floor's | each ≤ 3× |%n",
          rate, wake.wake().summary(), wakeP50Ratio, wakeP99Ratio);
      if (wakeParked != null) {
        System.out.printf("| send → wake, %d msg/s, with %d waits parked | %s | p50 %.1f×, p99 %.1f× the Kafka floor's | each ≤ 3× |%n",
            rate, waits, wakeParked.wake().summary(), wakeParked.wake().percentileMs(50) / kafkaFloor.percentileMs(50),
            wakeParked.wake().percentileMs(99) / kafkaFloor.percentileMs(99));
      }
      System.out.printf("| send answered (201), same run | %s | p50 %.1f× an HTTP round trip + a commit | — |%n",
          wake.accepted().summary(), wake.accepted().percentileMs(50) / sendFloorMs);
      System.out.printf("| CPU per message at %d msg/s, every process but the benchmark | %.3f ms (%s) | — | ≤ 0.9 ms |%n",
          rate, cpuMsPerMessage, perPart(wakeCpu, wake.sent()));
      System.out.printf("| PostgreSQL per message at %d msg/s | %.2f transactions, %.1f row writes (%.1f inserted, %.1f updated, %.1f deleted) | — | ≤ 1.5 transactions |%n",
          rate, perRun.transactions() / (double) wake.sent(), perRun.rowWrites() / (double) wake.sent(), perRun.inserted() / (double) wake.sent(),
          perRun.updated() / (double) wake.sent(), perRun.deleted() / (double) wake.sent());
      System.out.printf("| durable sends/s, %d waiting agents, %d senders | %.0f/s (%d accepted, %d errors, %d received, drained in %.1f s) | — | ≥ 2× the commit before, same sitting |%n",
          Throughput.AGENTS, senders, throughput.sendsPerSecond(), throughput.accepted(), throughput.errors(), throughput.received(),
          throughput.drainSeconds());
      if (memory != null) {
        printMemory(memory);
      }
      System.out.printf("Load average before %s, after %s.%n", loadBefore, loadAfter);
      if (!replicas.isEmpty()) {
        printCpu(throughputCpu, ProcessCpu.replicas(mesh), throughput);
      }
      if (wake.errors() > 0) {
        System.out.println("send errors during the latency run: " + wake.errors());
      }

      JsonObject result = new JsonObject()
          .put("started_at", startedAt.toString()).put("commit", RunFacts.commit()).put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", System.getProperty("java.version")).put("load_before", loadBefore).put("load_after", loadAfter)
          .put("options", new JsonObject().put("rate", rate).put("seconds", seconds).put("warmup", warmup).put("senders", senders)
              .put("waits", waits).put("jit", jit).put("sessions", sessions).put("ack", carryAck ? "carried" : "separate").put("replicas", replicas).put("floor_seconds", floorSeconds))
          .put("floors", new JsonObject().put("http_round_trip", httpFloor.json()).put("postgres_commit", commitFloor.json())
              .put("kafka_produce_consume", kafkaFloor.json()))
          .put("wake", wake.wake().json().put("p50_to_floor", wakeP50Ratio).put("p99_to_floor", wakeP99Ratio))
          .put("send_answered", wake.accepted().json().put("errors", wake.errors()))
          .put("per_message", new JsonObject().put("messages", wake.sent()).put("cpu_ms", cpuMsPerMessage)
              .put("cpu_ms_by_part", cpuByPart(wakeCpu, wake.sent()))
              .put("postgres_transactions", perRun.transactions() / (double) wake.sent())
              .put("postgres_rows_inserted", perRun.inserted() / (double) wake.sent())
              .put("postgres_rows_updated", perRun.updated() / (double) wake.sent())
              .put("postgres_rows_deleted", perRun.deleted() / (double) wake.sent()))
          .put("durable_sends", new JsonObject().put("per_second", throughput.sendsPerSecond()).put("accepted", throughput.accepted())
              .put("errors", throughput.errors()).put("received", throughput.received()).put("drain_seconds", throughput.drainSeconds()));
      if (memory != null) {
        result.put("parked_waits", memoryJson(memory));
        result.put("wake_with_waits_parked", wakeParked.wake().json()
            .put("p50_to_floor", wakeParked.wake().percentileMs(50) / kafkaFloor.percentileMs(50))
            .put("p99_to_floor", wakeParked.wake().percentileMs(99) / kafkaFloor.percentileMs(99))
            .put("errors", wakeParked.errors()));
      }
      System.out.println("The result as JSON: " + RunFacts.writeJson("messaging", options.text("json"), startedAt, result));
      api.close();
    } finally {
      vertx.close();
    }
  }

  /** Heap per parked wait, and the send → wake latencies measured while those waits were still parked. */
  private record Parked(ParkedWaitMemory.Result memory, WakeLatency.Result wake) {}

  private static ParkedWaitMemory.Result parkWaits(Vertx vertx, MeshProcess mesh, Api api, int waits) throws Exception {
    return parkWaits(vertx, mesh, api, waits, () -> null).memory();
  }

  /** Parks {@code waits} waits, measures the heap they take, then runs {@code whileParked} before letting them go. */
  private static Parked parkWaits(Vertx vertx, MeshProcess mesh, Api api, int waits, Callable<WakeLatency.Result> whileParked)
      throws Exception {
    System.out.printf("Parking %d waits …%n", waits);
    Api waiters = new Api(vertx, mesh.port(), mesh.ownerKey(), waits + 100);
    try {
      ParkedWaitMemory.Result memory = ParkedWaitMemory.measure(mesh, api, waiters, waits);
      return new Parked(memory, whileParked.call());
    } finally {
      waiters.close();
    }
  }

  /** The heap row, then the classes that grew most with the waits parked (what to cut first). */
  private static void printMemory(ParkedWaitMemory.Result memory) {
    System.out.printf("| heap per parked wait, %d parked | %.1f KB (live heap %.1f → %.1f MB) | — | ≤ 8 KB |%n",
        memory.waits(), memory.bytesPerWait() / 1024, memory.before() / 1048576.0, memory.parked() / 1048576.0);
    System.out.println();
    System.out.printf("Classes that grew most with the %d waits parked (live heap after a full collection, per wait):%n", memory.waits());
    System.out.println("| class | instances per wait | bytes per wait |");
    System.out.println("|---|---|---|");
    for (HeapHistogram.Growth grown : memory.grown()) {
      System.out.printf("| %s | %.2f | %.0f |%n", grown.className(), grown.instances() / (double) memory.waits(), grown.bytes() / (double) memory.waits());
    }
  }

  private static JsonObject memoryJson(ParkedWaitMemory.Result memory) {
    JsonArray grown = new JsonArray();
    memory.grown().forEach(g -> grown.add(new JsonObject().put("class", g.className()).put("instances", g.instances()).put("bytes", g.bytes())));
    return new JsonObject().put("waits", memory.waits()).put("bytes_per_wait", memory.bytesPerWait())
        .put("live_heap_before", memory.before()).put("live_heap_parked", memory.parked()).put("grown_most", grown);
  }

  private static Duration total(Map<String, Duration> cpu) {
    return cpu.values().stream().reduce(Duration.ZERO, Duration::plus);
  }

  private static String perPart(Map<String, Duration> cpu, long messages) {
    StringBuilder parts = new StringBuilder();
    cpu.forEach((part, used) -> parts.append(parts.isEmpty() ? "" : ", ").append(String.format("%s %.3f", part, used.toNanos() / 1e6 / messages)));
    return parts.toString();
  }

  private static JsonObject cpuByPart(Map<String, Duration> cpu, long messages) {
    JsonObject byPart = new JsonObject();
    cpu.forEach((part, used) -> byPart.put(part, used.toNanos() / 1e6 / messages));
    return byPart;
  }
}
