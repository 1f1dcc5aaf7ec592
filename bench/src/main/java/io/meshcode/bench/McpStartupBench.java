package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast the MCP server is ready inside an editor: from launching {@code java -jar
 * meshcode-mcp.jar} (with the client's {@code initialize} already written to its stdin, as an
 * editor does) to the initialize answer, then to the first tool call's answer, and from closing
 * stdin to the process's exit. Against the local mesh started as its own process; the server
 * opens its session and reads its briefing before it answers. Plain JVM flags, the tuned flags an
 * editor config may carry, and those with an AppCDS archive. Prints each run and the medians.
 *
 * <p>Options ({@code --name=value}): runs (10), jar (local/target/meshcode-local.jar),
 * mcp (mcp/target/meshcode-mcp.jar).
 */
public final class McpStartupBench {

  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  private static final String STATUS = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
      + "\"name\":\"meshcode_status\",\"arguments\":{}}}";

  private McpStartupBench() {}

  record Run(long readyNanos, long firstToolNanos, long exitNanos, long cpuNanos) {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args, Map.of(
        "runs", "10", "jar", "local/target/meshcode-local.jar", "mcp", "mcp/target/meshcode-mcp.jar"));
    int runs = options.number("runs");
    Path mcpJar = Path.of(options.text("mcp")).toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    System.out.printf("MeshCode MCP server start-up: %d cores, Java %s, %d runs per variant, load average %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), runs, loadAverage());
    System.out.println("Starting the local mesh …");
    Vertx vertx = Vertx.vertx();
    Path archive = Files.createTempFile("meshcode-mcp", ".jsa");
    Files.delete(archive);
    try (MeshProcess mesh = MeshProcess.start(Path.of(options.text("jar")), "1g")) {
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 4);
      api.meshwork("bench", List.of("backend", "frontend"));
      api.await(api.expect(200, HttpMethod.PATCH, "/v1/meshworks/bench/agents/backend",
          new JsonObject().put("role", "API developer").put("launch_prompt", "Build the orders API.")));
      Map<String, String> env = Map.of("MESHCODE_SERVER", "http://127.0.0.1:" + mesh.port(), "MESHCODE_API_KEY", mesh.ownerKey(),
          "MESHCODE_PROJECT", "bench", "MESHCODE_AGENT", "backend", "MESHCODE_LOG_LEVEL", "warn");

      List<String> tuned = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");
      List<String> withArchive = new ArrayList<>(tuned);
      withArchive.add("-XX:SharedArchiveFile=" + archive);
      List<String> recordArchive = new ArrayList<>(tuned);
      recordArchive.add("-XX:ArchiveClassesAtExit=" + archive);

      Map<String, List<Run>> results = new java.util.LinkedHashMap<>();
      results.put("plain (java -jar)", measure("plain", java, List.of(), mcpJar, env, runs));
      results.put("tuned: " + String.join(" ", tuned), measure("tuned", java, tuned, mcpJar, env, runs));
      once(java, recordArchive, mcpJar, env);
      results.put("tuned + AppCDS archive (-XX:SharedArchiveFile)", measure("tuned+cds", java, withArchive, mcpJar, env, runs));
      api.close();

      System.out.println();
      System.out.println("| JVM flags | launch → initialize answered (median) | → first tool answered (median) | CPU time to first tool (median) | stdin closed → exit (median) | ready, min – max |");
      System.out.println("|---|---|---|---|---|---|");
      results.forEach((name, list) -> System.out.printf("| %s | %d ms | %d ms | %d ms | %d ms | %d – %d ms |%n", name,
          median(list, Run::readyNanos), median(list, Run::firstToolNanos), median(list, Run::cpuNanos), median(list, Run::exitNanos),
          list.stream().mapToLong(Run::readyNanos).min().orElse(0) / 1_000_000,
          list.stream().mapToLong(Run::readyNanos).max().orElse(0) / 1_000_000));
    } finally {
      Files.deleteIfExists(archive);
      vertx.close();
    }
  }

  private static List<Run> measure(String label, String java, List<String> flags, Path jar, Map<String, String> env, int runs)
      throws Exception {
    once(java, flags, jar, env); // warm the file cache
    List<Run> list = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      Run run = once(java, flags, jar, env);
      list.add(run);
      System.out.printf("  %-12s run %2d: ready %4d ms, first tool %4d ms (CPU %4d ms), exit %4d ms%n", label, i,
          run.readyNanos() / 1_000_000, run.firstToolNanos() / 1_000_000, run.cpuNanos() / 1_000_000, run.exitNanos() / 1_000_000);
    }
    return list;
  }

  private static Run once(String java, List<String> flags, Path jar, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(flags);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    OutputStream stdin = process.getOutputStream();
    write(stdin, INITIALIZE);
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    await(stdout, "\"id\":1");
    long ready = System.nanoTime() - start;
    write(stdin, INITIALIZED);
    write(stdin, STATUS);
    await(stdout, "\"id\":2");
    long firstTool = System.nanoTime() - start;
    // CPU time (all threads, JIT included) up to the first tool's answer: less at the mercy of a busy machine than wall time.
    long cpu = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    long closing = System.nanoTime();
    stdin.close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the MCP server did not exit after stdin closed");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("the MCP server exited with " + process.exitValue());
    }
    return new Run(ready, firstTool, System.nanoTime() - closing, cpu);
  }

  private static void write(OutputStream stdin, String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  private static void await(BufferedReader stdout, String id) throws IOException {
    for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
      if (line.contains(id) && !line.contains("\"method\"")) {
        return;
      }
    }
    throw new IllegalStateException("the MCP server closed stdout before answering " + id);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long median(List<Run> runs, java.util.function.ToLongFunction<Run> field) {
    long[] values = runs.stream().mapToLong(field).sorted().toArray();
    return values.length == 0 ? 0 : values[(values.length - 1) / 2] / 1_000_000;
  }
}
