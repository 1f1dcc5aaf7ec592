package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A team-sized load (docs/PERFORMANCE.md, "A team-sized load"): starts the local mesh as its own
 * process on a fresh data folder, puts {@code agents} agents in {@code meshworks} meshworks, each
 * holding a session as the MCP server does ({@link AgentWindow}), looping in wait + ack and
 * sending every {@code send-every} seconds (jittered ±50 %) a direct message, a thread reply or a
 * broadcast to its meshwork in the shares {@code mix} gives, for {@code warmup} + {@code seconds}
 * (the warm-up's sends are not timed, as a fresh mesh's code is not compiled yet, but count for
 * loss and duplicates); then drains until {@code drain} seconds pass with no send answered and no
 * message handed over, or {@code drain-max} seconds in all: what is not handed over by then is
 * lost. Reports send → wake and send-answer latency percentiles, errors by kind, messages lost and
 * duplicates (handed to an agent again after it acknowledged them), each process's peak memory
 * and CPU, and the load average; prints a table and writes it as JSON ({@code --json}, by default
 * {@code bench/target/team-load-<time>.json}). Run it with {@code bench/team-load}.
 *
 * <p>Options ({@code --name=value}): jar (local/target/meshcode-local.jar), heap (2g, of the mesh
 * process), agents (1000), meshworks (10), seconds (300), warmup (60, seconds before those),
 * send-every (10 seconds), mix (70/20/10: direct/replies/broadcasts in percent), wait-seconds (45,
 * each wait's timeout, the MCP server's default), drain (60 seconds without progress), drain-max
 * (600 seconds), json (where the JSON result goes).
 */
public final class TeamLoadBench {

  private static final int SETUP_THREADS = 16;

  private TeamLoadBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args, Map.ofEntries(
        Map.entry("jar", "local/target/meshcode-local.jar"), Map.entry("heap", "2g"), Map.entry("agents", "1000"),
        Map.entry("meshworks", "10"), Map.entry("seconds", "300"), Map.entry("warmup", "60"), Map.entry("send-every", "10"), Map.entry("mix", "70/20/10"),
        Map.entry("wait-seconds", "45"), Map.entry("drain", "60"), Map.entry("drain-max", "600"), Map.entry("json", "")));
    int agentCount = options.number("agents");
    int meshworks = options.number("meshworks");
    int seconds = options.number("seconds");
    int warmup = options.number("warmup");
    int sendEvery = options.number("send-every");
    int waitSeconds = options.number("wait-seconds");
    int drain = options.number("drain");
    int drainMax = options.number("drain-max");
    TeamAgent.Mix mix;
    try {
      mix = TeamAgent.Mix.parse(options.text("mix"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (agentCount < 2 * meshworks || meshworks < 1) {
      System.err.println("--agents must be at least two per meshwork (--meshworks=" + meshworks + ")");
      System.exit(2);
    }
    Instant startedAt = Instant.now();
    String loadBefore = RunFacts.loadAverage();
    System.out.printf("MeshCode team-sized load: %d agents in %d meshworks, a send every %d s each (%d/%d/%d direct/replies/broadcasts), "
            + "for %d s; %d cores, Java %s, commit %s, load %s%n", agentCount, meshworks, sendEvery, mix.direct(), mix.replies(),
        mix.broadcasts(), seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), RunFacts.commit(),
        loadBefore);
    System.out.println("Starting the local mesh (broker, PostgreSQL and every service in one process) …");
    Vertx vertx = Vertx.vertx();
    try (MeshProcess mesh = MeshProcess.start(Path.of(options.text("jar")), options.text("heap"))) {
      // Each agent holds a parked wait and now and then a send, an ack or a renewal: one connection each, and room.
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 3 * agentCount + 100);
      TeamAgent.Run run = new TeamAgent.Run(vertx, api, new DeliveryLedger(), new ErrorKinds(), new AtomicBoolean(true),
          new AtomicBoolean(true), new LongAdder(), new LongAdder(), new LongAdder(), mix, waitSeconds);
      List<TeamAgent> agents = team(run, agentCount, meshworks, sendEvery * 1000L);

      System.out.printf("Opening %d sessions (renewed at a third of their lease) …%n", agentCount);
      inParallel(agents, TeamAgent::openSession);
      agents.forEach(TeamAgent::startWaiting);
      int parkedAtStart = awaitParked(api, agentCount);

      PeakMemory memory = PeakMemory.start(mesh, 2000);
      Map<String, Duration> cpuBefore = cpu(mesh);
      System.out.printf("Sending for %d s (the first %d s a warm-up, not timed) …%n", warmup + seconds, warmup);
      long sendStart = System.nanoTime();
      run.ledger().measureFrom(sendStart + warmup * 1_000_000_000L);
      agents.forEach(TeamAgent::startSending);
      for (int elapsed = 0; elapsed < warmup + seconds; elapsed++) {
        Thread.sleep(1000);
        if ((elapsed + 1) % 30 == 0 || elapsed + 1 == warmup + seconds) {
          DeliveryLedger.Verdict now = run.ledger().verdict();
          System.out.printf("  %3d s: %d sent, %d accepted, %d deliveries awaited, %d errors %s, load %s%n", elapsed + 1, now.sent(),
              now.accepted(), run.ledger().awaited(), run.errors().total(), run.errors().counts(), RunFacts.loadAverage());
        }
      }
      run.sending().set(false);
      double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
      System.out.printf("Draining (until %d s pass without an answer or a hand-over, or %d s in all) …%n", drain, drainMax);
      long drainStart = System.nanoTime();
      long lastProgress = -1;
      long progressAt = drainStart;
      while ((run.ledger().unanswered() > 0 || run.ledger().awaited() > 0)
          && System.nanoTime() - progressAt < drain * 1_000_000_000L && System.nanoTime() - drainStart < drainMax * 1_000_000_000L) {
        Thread.sleep(100);
        long progress = run.ledger().progress();
        if (progress != lastProgress) {
          lastProgress = progress;
          progressAt = System.nanoTime();
        }
      }
      double drained = (System.nanoTime() - drainStart) / 1e9;
      // The last batches' acks.
      Thread.sleep(1000);
      Map<String, Duration> cpuUsed = ProcessCpu.between(cpuBefore, cpu(mesh));
      double cpuSeconds = (System.nanoTime() - sendStart) / 1e9;
      run.waiting().set(false);
      agents.forEach(TeamAgent::closeSession);
      memory.close();
      String loadAfter = RunFacts.loadAverage();

      DeliveryLedger.Verdict verdict = run.ledger().verdict();
      Latencies wake = run.ledger().wake();
      Latencies answered = run.ledger().answered();
      System.out.println();
      System.out.println("| measure | result | target |");
      System.out.println("|---|---|---|");
      System.out.printf("| sends | %d (%d direct, %d replies, %d broadcasts) in %.0f s: %.1f/s; %d accepted, %d failed, %d unanswered | — |%n",
          verdict.sent(), run.direct().sum(), run.replies().sum(), run.broadcasts().sum(), sendSeconds, verdict.sent() / sendSeconds,
          verdict.accepted(), verdict.failed(), verdict.unanswered());
      System.out.printf("| send → wake, per recipient, after the %d s warm-up | %s | — |%n", warmup, percentiles(wake));
      System.out.printf("| send answered (201), after the warm-up | %s | — |%n", percentiles(answered));
      System.out.printf("| lost (accepted, never handed to a recipient; drained in %.1f s) | %d messages (%d deliveries) | none |%n",
          drained, verdict.lost(), verdict.lostDeliveries());
      System.out.printf("| duplicates (handed to an agent again after it acked) | %d (and %d repeats before an ack, %d unexpected) | none |%n",
          verdict.duplicates(), verdict.repeatsBeforeAck(), verdict.unexpected());
      System.out.printf("| errors by kind | %s | none |%n", run.errors().counts().isEmpty() ? "none" : run.errors().counts());
      System.out.printf("| the mesh's log lines saying ERROR or failed | %d | none |%n", mesh.errorLines());
      System.out.printf("| waits parked when sending started | %d of %d | all |%n", parkedAtStart, agentCount);
      System.out.printf("| load average (1, 5, 15 min) | before %s, after %s, peak 1-min %.2f | — |%n", loadBefore, loadAfter,
          memory.peakLoad());
      System.out.println();
      System.out.printf("Each process over the %.0f s of sending and draining (memory sampled every 2 s; PSS counts shared pages once):%n",
          cpuSeconds);
      System.out.println("| part | peak RSS MB | peak PSS MB | CPU s | cores used on average |");
      System.out.println("|---|---|---|---|---|");
      Map<String, PeakMemory.Peak> peaks = memory.peaks();
      JsonObject processes = new JsonObject();
      peaks.forEach((part, peak) -> {
        double used = cpuUsed.getOrDefault(part, Duration.ZERO).toNanos() / 1e9;
        System.out.printf("| %s | %.0f | %.0f | %.1f | %.2f |%n", part, peak.rss() / 1048576.0, peak.pss() / 1048576.0, used,
            used / cpuSeconds);
        processes.put(part, new JsonObject().put("peak_rss_bytes", peak.rss()).put("peak_pss_bytes", peak.pss()).put("cpu_seconds", used));
      });

      JsonObject errors = new JsonObject();
      run.errors().counts().forEach(errors::put);
      JsonObject result = new JsonObject()
          .put("started_at", startedAt.toString()).put("commit", RunFacts.commit()).put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", System.getProperty("java.version")).put("load_before", loadBefore).put("load_after", loadAfter)
          .put("peak_load_1min", memory.peakLoad())
          .put("options", new JsonObject().put("agents", agentCount).put("meshworks", meshworks).put("seconds", seconds)
              .put("warmup", warmup).put("send_every", sendEvery).put("mix", options.text("mix")).put("wait_seconds", waitSeconds).put("drain", drain).put("drain_max", drainMax)
              .put("heap", options.text("heap")))
          .put("sends", verdict.json().put("direct", run.direct().sum()).put("replies", run.replies().sum())
              .put("broadcasts", run.broadcasts().sum()).put("seconds", sendSeconds).put("drain_seconds", drained))
          .put("wake", wake.json()).put("send_answered", answered.json())
          .put("errors", errors).put("mesh_error_lines", mesh.errorLines()).put("parked_at_start", parkedAtStart).put("processes", processes).put("measured_seconds", cpuSeconds);
      System.out.println("The result as JSON: " + RunFacts.writeJson("team-load", options.text("json"), startedAt, result));
      api.close();
    } finally {
      vertx.close();
    }
  }

  /** The agents, {@code agents / meshworks} to a meshwork (the first meshworks take the remainder), created on the mesh. */
  private static List<TeamAgent> team(TeamAgent.Run run, int agents, int meshworks, long sendEveryMs) throws InterruptedException {
    System.out.printf("Creating %d meshworks and %d agents …%n", meshworks, agents);
    String suffix = Long.toString(System.nanoTime(), 36);
    List<TeamAgent> team = new ArrayList<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (int m = 0; m < meshworks; m++) {
      List<String> ofMeshwork = new ArrayList<>();
      for (int a = 0; a < agents / meshworks + (m < agents % meshworks ? 1 : 0); a++) {
        ofMeshwork.add("agent" + a);
      }
      names.put("team" + m + "-" + suffix, ofMeshwork);
    }
    inParallel(List.copyOf(names.entrySet()), meshwork -> run.api().meshwork(meshwork.getKey(), meshwork.getValue()));
    names.forEach((meshwork, ofMeshwork) -> ofMeshwork.forEach(
        name -> team.add(new TeamAgent(run, meshwork, name, ofMeshwork, sendEveryMs, team.size()))));
    return team;
  }

  /** Set-up calls, {@value #SETUP_THREADS} at a time: one after another, a loaded machine takes minutes for 1,000 sessions. */
  private static <T> void inParallel(List<T> items, Consumer<T> call) throws InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      for (var done : threads.invokeAll(items.stream().<Callable<Void>>map(item -> () -> {
        call.accept(item);
        return null;
      }).toList())) {
        done.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("setting the team up failed", e.getCause());
    } finally {
      threads.shutdown();
    }
  }

  /**
   * Until the gateway holds a parked wait for every agent, so the load starts from a team that is
   * waiting; or two minutes, when the load goes on from as many as there are (a mesh too slow to
   * park them all is what the run then shows). Answers how many were parked.
   */
  private static int awaitParked(Api api, int agents) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    int parked;
    while ((parked = ParkedWaitMemory.parkedOnGateway(api)) < agents && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    System.out.printf(parked < agents ? "Only %d of %d waits parked after two minutes; the load starts anyway.%n" : "%d of %d waits parked.%n",
        parked, agents);
    return parked;
  }

  /** The mesh's CPU by part, and this benchmark's own (the agents' HTTP client). */
  private static Map<String, Duration> cpu(MeshProcess mesh) {
    Map<String, Duration> cpu = ProcessCpu.sample(mesh);
    cpu.put("bench (the agents)", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    return cpu;
  }

  private static String percentiles(Latencies latencies) {
    return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (n=%d)", latencies.percentileMs(50),
        latencies.percentileMs(90), latencies.percentileMs(99), latencies.percentileMs(99.9), latencies.percentileMs(100),
        latencies.count());
  }
}
