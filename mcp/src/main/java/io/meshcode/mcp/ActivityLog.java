package io.meshcode.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reports each tool call to the meshwork's replay log ({@code POST …/activity}): the tool, a
 * summary of its arguments, ok or error, and how long it took.
 *
 * <p>Reports never delay the agent, and cost the mesh as little as they can: each is made
 * {@link #SETTLE} after its call answered, on this log's one thread (so the summary is not made on
 * the call's), and the reports gathered over {@link #GATHER} go out together, oldest first, in one
 * request ({@code calls}, at most {@link #CALLS_MAX}). A report is work for the mesh (a request, a
 * key check, a transaction, a replay-log event); sent one per call, an agent's loop of send, wait
 * and done paid three such requests per message beside the message's own, at the moment the mesh
 * delivered it (docs/PERFORMANCE.md, "The MCP hop"). A mesh older than {@code calls} refuses it
 * (400); this log then reports one call per request, as that mesh expects.
 */
final class ActivityLog implements AutoCloseable {

  static final int SUMMARY_MAX = 1000;
  private static final int STRING_MAX = 200;
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
  /** Longer than a wake usually takes, far shorter than an agent's turn; the timeline is read in seconds. */
  static final Duration SETTLE = Duration.ofMillis(50);
  /** How long the first report waits for others to go with it: an agent's loop makes several calls a second. */
  static final Duration GATHER = Duration.ofSeconds(1);
  /** The most calls the mesh takes in one report. */
  static final int CALLS_MAX = 50;
  private static final Logger LOG = LoggerFactory.getLogger(ActivityLog.class);

  private final Gateway gateway;
  // One thread, and every report delayed alike: they go out in the order of their calls. What
  // follows is only touched on it.
  private final ScheduledThreadPoolExecutor sender = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "mcp-activity");
    thread.setDaemon(true);
    return thread;
  });
  private final List<ObjectNode> gathered = new ArrayList<>();
  private ScheduledFuture<?> gathering;
  private boolean listsRefused;
  private boolean failing;

  ActivityLog(Gateway gateway) {
    this.gateway = gateway;
    sender.setRemoveOnCancelPolicy(true);
  }

  void report(String tool, Map<String, Object> arguments, boolean ok, long durationMillis) {
    try {
      sender.schedule(() -> gather(Json.object()
          .put("tool", tool)
          .put("arguments", summary(tool, arguments))
          .put("result", ok ? "ok" : "error")
          .put("duration_ms", Math.max(0, durationMillis))), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not reporting {}: stopping", tool);
    }
  }

  private void gather(ObjectNode call) {
    gathered.add(call);
    if (gathered.size() >= CALLS_MAX) {
      sendGathered();
    } else if (gathering == null && !sender.isShutdown()) { // once shut down, close's own send takes it
      gathering = sender.schedule(this::sendGathered, GATHER.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void sendGathered() {
    if (gathering != null) {
      gathering.cancel(false);
      gathering = null;
    }
    while (!gathered.isEmpty()) {
      List<ObjectNode> calls = gathered.subList(0, Math.min(CALLS_MAX, gathered.size()));
      send(List.copyOf(calls));
      calls.clear();
    }
  }

  private void send(List<ObjectNode> calls) {
    try {
      if (!listsRefused && calls.size() > 1) {
        try {
          ArrayNode list = Json.array();
          calls.forEach(list::add);
          post(Json.object().set("calls", list));
          return;
        } catch (GatewayException e) {
          if (e.status() != 400) {
            throw e;
          }
          LOG.debug("the mesh takes one tool call per report: {}", e.getMessage());
          listsRefused = true;
        }
      }
      for (ObjectNode call : calls) {
        post(call);
      }
    } catch (RuntimeException e) {
      // A lost report loses lines of the timeline, never the agent's work: say so once.
      if (!failing) {
        LOG.warn("reporting tool calls to the replay log failed: {}", e.getMessage());
      }
      failing = true;
    }
  }

  private void post(ObjectNode body) {
    gateway.call("POST", gateway.agentPath("activity"), body, REPORT_TIMEOUT);
    failing = false;
  }

  /**
   * The arguments as compact JSON, each string cut to 200 characters (a done's summary kept
   * whole), the whole cut to 1000: enough to read the timeline, never the full payload.
   */
  static String summary(String tool, Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return "{}";
    }
    ObjectNode shortened = Json.object();
    arguments.forEach((name, value) -> {
      JsonNode node = Json.tree(value);
      boolean whole = tool.equals("meshcode_done") && name.equals("summary");
      shortened.set(name, whole ? node : shorten(node));
    });
    String text = Json.write(shortened);
    return text.length() <= SUMMARY_MAX ? text : cut(text, SUMMARY_MAX - 1) + "…";
  }

  private static JsonNode shorten(JsonNode node) {
    if (node.isString() && node.stringValue().length() > STRING_MAX) {
      return Json.tree(cut(node.stringValue(), STRING_MAX - 1) + "…");
    }
    if (node.isContainer()) {
      String text = Json.write(node);
      return text.length() > STRING_MAX ? Json.tree(cut(text, STRING_MAX - 1) + "…") : node;
    }
    return node;
  }

  /** The first {@code length} characters, one fewer if the cut would split a surrogate pair (the gateway refuses half of one). */
  private static String cut(String text, int length) {
    return Character.isHighSurrogate(text.charAt(length - 1)) ? text.substring(0, length - 1) : text.substring(0, length);
  }

  /** Sends what is gathered and what is still settling, for at most two seconds. */
  @Override
  public void close() {
    try {
      // After every report made so far has settled (same delay, so later in the queue).
      sender.schedule(this::sendGathered, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return;
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.debug("dropping tool-call reports still queued at exit");
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
