package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Start-up as users meet it (docs/CLI.md), through the installed launcher
 * ({@code infra/local/install-cli}): {@code meshcode --version} and {@code meshcode status} from
 * launch to exit, and {@code meshcode mcp} as an editor starts it, from launch (its
 * {@code initialize} already in its stdin) to the {@code initialize} answer (and the server's CPU
 * time by then) and on to the first tool's answer, against the local mesh started as its own
 * process. The floor, {@code java -version} with the launcher's Java, is measured in the same run,
 * and every round runs each once in the same order, so that the machine's drift hits them all
 * alike. Prints each series' median and p90 beside the floor and the targets, and writes the same
 * as JSON.
 *
 * <p>Options ({@code --name=value}): launcher (the installed {@code meshcode}, required), java (the
 * launcher's Java, required), runs (11), warmup (2 rounds not counted), jar
 * (local/target/meshcode-local.jar), json (by default {@code bench/target/startup-<time>.json}).
 */
public final class StartupBench {

  private static final String FLOOR = "java -version";
  private static final String VERSION = "meshcode --version";
  private static final String STATUS = "meshcode status";
  private static final String MCP_READY = "meshcode mcp: initialize answered";
  private static final String MCP_FIRST_TOOL = "meshcode mcp: first tool answered";
  /** Issue 21's targets, and status's from docs/CLI.md. */
  private static final Map<String, Integer> TARGETS_MS = Map.of(VERSION, 150, STATUS, 400, MCP_READY, 400);

  private static final String PROJECT = "bench";
  private static final String AGENT = "backend";
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  private static final String STATUS_TOOL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
      + "\"name\":\"meshcode_status\",\"arguments\":{}}}";

  private StartupBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args, Map.of("launcher", "", "java", "", "runs", "11", "warmup", "2",
        "jar", "local/target/meshcode-local.jar", "json", ""));
    int runs = options.number("runs");
    int warmup = options.number("warmup");
    Path launcher = existing(options.text("launcher"), "--launcher (the installed meshcode)");
    Path java = existing(options.text("java"), "--java (the launcher's Java)");
    Path meshJar = existing(options.text("jar"), "--jar (the local mesh; build it with ./mvnw -pl local -am package -DskipTests)");
    Instant startedAt = Instant.now();
    String loadBefore = RunFacts.loadAverage();
    System.out.printf("MeshCode start-up: %d cores, %s, commit %s, load %s, %d runs per series after %d warm-up rounds%n",
        Runtime.getRuntime().availableProcessors(), javaVersion(java), RunFacts.commit(), loadBefore, runs, warmup);
    System.out.println("Starting the local mesh …");

    Leftovers leftovers = new Leftovers(Files.createTempDirectory("meshcode-startup"));
    Runtime.getRuntime().addShutdownHook(new Thread(leftovers::remove, "startup-cleanup"));
    Path work = leftovers.work;
    Vertx vertx = Vertx.vertx();
    try {
      MeshProcess mesh = leftovers.mesh(MeshProcess.start(meshJar, "1g"));
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 2);
      api.meshwork(PROJECT, List.of(AGENT));
      api.close();
      Launches launches = new Launches(java, launcher, work, "http://127.0.0.1:" + mesh.port(), mesh.ownerKey());
      launches.login();

      Map<String, Latencies> series = new LinkedHashMap<>();
      for (String name : List.of(FLOOR, VERSION, STATUS, MCP_READY, MCP_FIRST_TOOL)) {
        series.put(name, new Latencies());
      }
      Latencies mcpCpu = new Latencies();
      for (int round = 1 - warmup; round <= runs; round++) {
        long floor = launches.javaVersion();
        long version = launches.version();
        long status = launches.status();
        McpTimes mcp = launches.mcp();
        if (round < 1) {
          continue;
        }
        series.get(FLOOR).add(floor);
        series.get(VERSION).add(version);
        series.get(STATUS).add(status);
        series.get(MCP_READY).add(mcp.ready());
        series.get(MCP_FIRST_TOOL).add(mcp.firstTool());
        mcpCpu.add(mcp.readyCpu());
        System.out.printf("  round %2d: floor %4d ms, --version %4d ms, status %4d ms, mcp initialize %4d ms (first tool %4d ms)%n",
            round, floor / 1_000_000, version / 1_000_000, status / 1_000_000, mcp.ready() / 1_000_000, mcp.firstTool() / 1_000_000);
      }
      String loadAfter = RunFacts.loadAverage();

      double floorMedian = series.get(FLOOR).percentileMs(50);
      System.out.println();
      System.out.printf("Launch → exit (→ answer for mcp), %d runs each, alternating; load %s before, %s after:%n", runs, loadBefore, loadAfter);
      System.out.println("| series | median | p90 | median − floor | median ÷ floor | target (median) |");
      System.out.println("|---|---|---|---|---|---|");
      JsonObject results = new JsonObject();
      series.forEach((name, latencies) -> {
        double median = latencies.percentileMs(50);
        double p90 = latencies.percentileMs(90);
        Integer target = TARGETS_MS.get(name);
        String verdict = target == null ? "—" : String.format("%d ms: %s", target, median <= target ? "met" : "MISSED");
        System.out.printf(name.equals(FLOOR) ? "| %s (the floor) | %.0f ms | %.0f ms | — | — | — |%n"
            : "| %s | %.0f ms | %.0f ms | %+.0f ms | %.2f× | %s |%n",
            name, median, p90, median - floorMedian, median / floorMedian, verdict);
        JsonObject result = new JsonObject().put("median_ms", tenths(median)).put("p90_ms", tenths(p90)).put("runs_ms", runsMs(latencies));
        if (!name.equals(FLOOR)) {
          result.put("minus_floor_ms", tenths(median - floorMedian)).put("to_floor", Math.round(median / floorMedian * 100) / 100.0);
        }
        if (target != null) {
          result.put("target_ms", target).put("met", median <= target);
        }
        results.put(name, result);
      });

      System.out.printf("CPU time of meshcode mcp up to its initialize answer (less at the mercy of the load): median %.0f ms, p90 %.0f ms%n",
          mcpCpu.percentileMs(50), mcpCpu.percentileMs(90));

      JsonObject json = new JsonObject()
          .put("started_at", startedAt.toString()).put("commit", RunFacts.commit()).put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", javaVersion(java)).put("load_before", loadBefore).put("load_after", loadAfter)
          .put("runs", runs).put("warmup_rounds", warmup).put("launcher", launcher.toString())
          .put("floor", FLOOR).put("series", results)
          .put("mcp_cpu_to_initialize", new JsonObject().put("median_ms", tenths(mcpCpu.percentileMs(50)))
              .put("p90_ms", tenths(mcpCpu.percentileMs(90))).put("runs_ms", runsMs(mcpCpu)));
      System.out.println("The result as JSON: " + RunFacts.writeJson("startup", options.text("json"), startedAt, json));
    } finally {
      vertx.close();
      leftovers.remove();
    }
  }

  /**
   * What a run leaves behind, removed once: at its end, or when the JVM is stopped (Ctrl-C,
   * SIGTERM) in the middle of it: the mesh process with its data folder, and the work folder.
   */
  private static final class Leftovers {

    private final Path work;
    private final AtomicBoolean removed = new AtomicBoolean();
    private volatile MeshProcess mesh;

    Leftovers(Path work) {
      this.work = work;
    }

    MeshProcess mesh(MeshProcess started) {
      mesh = started;
      return started;
    }

    void remove() {
      if (!removed.compareAndSet(false, true)) {
        return;
      }
      try {
        if (mesh != null) {
          mesh.close();
        }
      } catch (Exception e) {
        System.err.println("stopping the local mesh: " + e.getMessage());
      }
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("removing " + work + ": " + e.getMessage());
      }
    }
  }

  /** Nanoseconds from launch to the initialize answer and to the first tool's, and the server's CPU time by the first. */
  record McpTimes(long ready, long firstTool, long readyCpu) {}

  /**
   * Each timed launch, as a user of their own makes it: a home and config folder in the work
   * folder, the key stored there by {@code meshcode login} (file keychain: none on a build
   * machine), none of the caller's MESHCODE_ or JVM option variables. The MCP server gets its key
   * and server in its environment and logs at its default level, to a file as an editor's log panel.
   */
  private static final class Launches {

    private final Path java;
    private final Path launcher;
    private final Path stderr;
    private final Map<String, String> env;
    private final String ownerKey;

    Launches(Path java, Path launcher, Path work, String server, String ownerKey) throws IOException {
      this.java = java;
      this.launcher = launcher;
      this.stderr = work.resolve("stderr.txt");
      this.ownerKey = ownerKey;
      Path home = Files.createDirectories(work.resolve("home"));
      this.env = new LinkedHashMap<>(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
          "MESHCODE_SERVER", server, "MESHCODE_KEYCHAIN", "file"));
    }

    void login() throws Exception {
      run(List.of(launcher.toString(), "login", ownerKey), env);
    }

    long javaVersion() throws Exception {
      return run(List.of(java.toString(), "-version"), env);
    }

    long version() throws Exception {
      return run(List.of(launcher.toString(), "--version"), env);
    }

    long status() throws Exception {
      return run(List.of(launcher.toString(), "status"), env);
    }

    /** Launch → initialize answered → first tool answered; then stdin closed, and the exit awaited before the next launch. */
    McpTimes mcp() throws Exception {
      Map<String, String> mcpEnv = new LinkedHashMap<>(env);
      mcpEnv.put("MESHCODE_API_KEY", ownerKey);
      ProcessBuilder builder = builder(List.of(launcher.toString(), "mcp", "--project", PROJECT, "--agent", AGENT, "--client", "bench"), mcpEnv);
      long start = System.nanoTime();
      Process process = builder.start();
      try {
        OutputStream stdin = process.getOutputStream();
        write(stdin, INITIALIZE);
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        await(stdout, "\"id\":1");
        long ready = System.nanoTime() - start;
        // Every thread's CPU time, JIT and GC included: less at the mercy of a busy machine than wall time.
        long readyCpu = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        write(stdin, INITIALIZED);
        write(stdin, STATUS_TOOL);
        await(stdout, "\"id\":2");
        long firstTool = System.nanoTime() - start;
        stdin.close();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw failed("meshcode mcp did not exit cleanly after its stdin closed");
        }
        return new McpTimes(ready, firstTool, readyCpu);
      } finally {
        process.destroyForcibly();
      }
    }

    /** Nanoseconds from launch to a successful exit. */
    private long run(List<String> command, Map<String, String> variables) throws Exception {
      ProcessBuilder builder = builder(command, variables).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw failed(String.join(" ", command) + " failed");
      }
      return System.nanoTime() - start;
    }

    private ProcessBuilder builder(List<String> command, Map<String, String> variables) {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("MESHCODE_")
          || name.equals("JAVA_TOOL_OPTIONS") || name.equals("_JAVA_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
      builder.environment().putAll(variables);
      return builder;
    }

    private IllegalStateException failed(String what) {
      String output;
      try {
        output = Files.readString(stderr);
      } catch (IOException e) {
        output = "(no stderr: " + e.getMessage() + ")";
      }
      return new IllegalStateException(what + "; its stderr:\n" + output);
    }

    private static void write(OutputStream stdin, String line) throws IOException {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /** Reads up to the answer to {@code id}, which must be a result, not an error. */
    private void await(BufferedReader stdout, String id) throws IOException {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        if (line.contains(id) && !line.contains("\"method\"")) {
          if (!line.contains("\"result\"") || line.contains("\"isError\":true")) {
            throw failed("meshcode mcp answered " + id + " with " + line);
          }
          return;
        }
      }
      throw failed("meshcode mcp closed its stdout before answering " + id);
    }
  }

  private static double tenths(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  private static JsonArray runsMs(Latencies latencies) {
    JsonArray runs = new JsonArray();
    for (long ms : latencies.millis()) {
      runs.add(ms);
    }
    return runs;
  }

  private static Path existing(String path, String what) {
    if (path.isEmpty() || !Files.isRegularFile(Path.of(path))) {
      System.err.println("startup: no " + what + (path.isEmpty() ? "" : " at " + path));
      System.exit(2);
    }
    return Path.of(path).toAbsolutePath();
  }

  /** The first line of {@code java -version}: the Java the launcher runs, which may not be this one. */
  private static String javaVersion(Path java) throws Exception {
    Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("unknown");
    process.waitFor();
    return first;
  }
}
