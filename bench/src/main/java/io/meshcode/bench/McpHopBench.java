package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The MCP hop (docs/PERFORMANCE.md, "The MCP hop"): what a send → wake between two agents costs
 * through their MCP servers, beside the same send → wake through the gateway's REST API, measured
 * alternately in one run on a fresh local mesh. REST: agent {@code rest-b} parked in
 * {@code GET …/wait}, {@code rest-a} posting the message ({@link RestHop}). MCP: two {@code meshcode
 * mcp} servers started by the installed launcher, as an editor starts them, each driven by the
 * official TypeScript SDK client ({@code bench/src/main/node/mcp-hop.mjs}): {@code mcp-b} in
 * {@code meshcode_wait}, {@code mcp-a} calling {@code meshcode_send}. Both time the send's answer
 * and the wake from just before the send leaves, one hop at a time, and acknowledge each batch.
 * Blocks alternate REST, MCP, REST, MCP, … so that the machine's drift hits both alike; the first
 * pairs warm both up and are not counted. Prints each block's medians, then both paths' p50 and p99
 * over every counted hop and the MCP path's ratio to REST's, and writes the same as JSON.
 *
 * <p>Options ({@code --name=value}): launcher (the installed {@code meshcode}, required), node-client
 * (the folder with mcp-hop.mjs and its installed SDK, required), jar (local/target/meshcode-local.jar),
 * messages (50 per block), blocks (5 of each path, counted), warmup (2 of each, not counted), pause
 * (100 ms between the receiver's wait and the send, so the wait is parked), json (by default
 * {@code bench/target/mcp-hop-<time>.json}).
 */
public final class McpHopBench {

  /** Issue 21: the MCP path's send → wake p50 at most this many times the REST path's. */
  static final double TARGET_RATIO = 1.25;
  private static final String MESHWORK = "hop";

  private McpHopBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args, Map.of("launcher", "", "node-client", "", "jar", "local/target/meshcode-local.jar",
        "messages", "50", "blocks", "5", "warmup", "2", "pause", "100", "json", ""));
    int messages = options.number("messages");
    int blocks = options.number("blocks");
    int warmup = options.number("warmup");
    int pauseMs = options.number("pause");
    Path launcher = existing(options.text("launcher"), "--launcher (the installed meshcode)");
    Path nodeClient = existing(options.text("node-client"), "--node-client (the folder of mcp-hop.mjs)").toAbsolutePath();
    Path meshJar = existing(options.text("jar"), "--jar (the local mesh)");
    Instant startedAt = Instant.now();
    String loadBefore = RunFacts.loadAverage();
    System.out.printf("MeshCode MCP hop: %d cores, Java %s, commit %s, load %s; %d hops per block, %d blocks of each path after %d warm-up pairs%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), RunFacts.commit(), loadBefore, messages, blocks, warmup);
    System.out.println("Starting the local mesh …");

    Path work = Files.createTempDirectory("meshcode-mcp-hop");
    Vertx vertx = Vertx.vertx();
    try (MeshProcess mesh = MeshProcess.start(meshJar, "1g")) {
      Api api = new Api(vertx, mesh.port(), mesh.ownerKey(), 8);
      api.meshwork(MESHWORK, List.of("rest-a", "rest-b", "mcp-a", "mcp-b"));
      List<AgentWindow> renewals = List.of(api.openSession(MESHWORK, "rest-a"), api.openSession(MESHWORK, "rest-b"));
      RestHop rest = new RestHop(api, MESHWORK, "rest-a", "rest-b");
      try (McpHop mcp = McpHop.start(nodeClient, launcher, work, "http://127.0.0.1:" + mesh.port(), mesh.ownerKey(), MESHWORK, "mcp-a", "mcp-b")) {
        Hops restHops = new Hops();
        Hops mcpHops = new Hops();
        List<Double> wakeRatios = new ArrayList<>();
        for (int block = 1 - warmup; block <= blocks; block++) {
          Hops restBlock = rest.block(messages, pauseMs);
          Hops mcpBlock = mcp.block(messages, pauseMs);
          double ratio = mcpBlock.wake.percentileMs(50) / restBlock.wake.percentileMs(50);
          System.out.printf("  %s %2d: REST send %5.1f ms, wake %5.1f ms | MCP send %5.1f ms, wake %5.1f ms | wake p50 %.2f×  (load %s)%n",
              block < 1 ? "warm-up" : "block  ", block, restBlock.send.percentileMs(50), restBlock.wake.percentileMs(50),
              mcpBlock.send.percentileMs(50), mcpBlock.wake.percentileMs(50), ratio, RunFacts.loadAverage());
          if (block >= 1) {
            restHops.addAll(restBlock);
            mcpHops.addAll(mcpBlock);
            wakeRatios.add(ratio);
          }
        }
        String loadAfter = RunFacts.loadAverage();
        double wakeRatio = mcpHops.wake.percentileMs(50) / restHops.wake.percentileMs(50);
        double sendRatio = mcpHops.send.percentileMs(50) / restHops.send.percentileMs(50);
        double medianBlockRatio = median(wakeRatios);
        System.out.println();
        System.out.printf("Every counted hop (%d blocks of %d per path, alternated); load %s before, %s after:%n", blocks, messages, loadBefore, loadAfter);
        System.out.println("| path | send answered | send → wake |");
        System.out.println("|---|---|---|");
        System.out.printf("| REST (GET …/wait, POST …/messages) | %s | %s |%n", restHops.send.summary(), restHops.wake.summary());
        System.out.printf("| MCP (meshcode_wait, meshcode_send) | %s | %s |%n", mcpHops.send.summary(), mcpHops.wake.summary());
        System.out.printf("| MCP ÷ REST, p50 | %.2f× | %.2f× (median of the blocks' ratios %.2f×; target ≤ %.2f×: %s) |%n",
            sendRatio, wakeRatio, medianBlockRatio, TARGET_RATIO, wakeRatio <= TARGET_RATIO ? "met" : "MISSED");

        JsonObject result = new JsonObject()
            .put("started_at", startedAt.toString()).put("commit", RunFacts.commit()).put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")).put("load_before", loadBefore).put("load_after", loadAfter)
            .put("options", new JsonObject().put("messages", messages).put("blocks", blocks).put("warmup", warmup).put("pause_ms", pauseMs))
            .put("rest", restHops.json()).put("mcp", mcpHops.json())
            .put("mcp_to_rest", new JsonObject().put("send_p50", sendRatio).put("wake_p50", wakeRatio)
                .put("wake_p50_median_of_blocks", medianBlockRatio).put("block_wake_p50_ratios", new JsonArray(wakeRatios))
                .put("target", TARGET_RATIO).put("met", wakeRatio <= TARGET_RATIO));
        System.out.println("The result as JSON: " + RunFacts.writeJson("mcp-hop", options.text("json"), startedAt, result));
      } finally {
        renewals.forEach(AgentWindow::close);
        api.close();
      }
    } finally {
      vertx.close();
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The hops of a block or a run: each send's answer and each wake, in nanoseconds. */
  static final class Hops {

    final Latencies send = new Latencies();
    final Latencies wake = new Latencies();

    void add(long sendNanos, long wakeNanos) {
      send.add(sendNanos);
      wake.add(wakeNanos);
    }

    void addAll(Hops other) {
      for (long nanos : other.send.nanos()) {
        send.add(nanos);
      }
      for (long nanos : other.wake.nanos()) {
        wake.add(nanos);
      }
    }

    JsonObject json() {
      return new JsonObject().put("send_answered", send.json()).put("wake", wake.json());
    }
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static Path existing(String path, String what) {
    if (path.isEmpty() || !Files.exists(Path.of(path))) {
      System.err.println("mcp-hop: no " + what + (path.isEmpty() ? "" : " at " + path));
      System.exit(2);
    }
    return Path.of(path);
  }
}
