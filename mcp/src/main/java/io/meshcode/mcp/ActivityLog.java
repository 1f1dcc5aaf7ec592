package io.meshcode.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reports each tool call to the meshwork's replay log ({@code POST …/activity}): the tool, a
 * summary of its arguments, ok or error, and how long it took. Reports go out in order on one
 * thread, {@link #SETTLE} after the call answered, so they never delay the agent: the summary is
 * made there too, not on the call's thread, and the report keeps out of the way of what the call
 * set off. A report is work for the mesh (a write in the bus and a replay-log event); sent at once,
 * a send's report competed with the delivery of the very message it reports (docs/PERFORMANCE.md,
 * "The MCP hop").
 */
final class ActivityLog implements AutoCloseable {

  static final int SUMMARY_MAX = 1000;
  private static final int STRING_MAX = 200;
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
  /** Longer than a wake usually takes, far shorter than an agent's turn; the timeline is read in seconds. */
  static final Duration SETTLE = Duration.ofMillis(50);
  private static final Logger LOG = LoggerFactory.getLogger(ActivityLog.class);

  private final Gateway gateway;
  // One thread, and every report delayed alike: they go out in the order of their calls.
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "mcp-activity");
    thread.setDaemon(true);
    return thread;
  });
  private boolean failing;

  ActivityLog(Gateway gateway) {
    this.gateway = gateway;
  }

  void report(String tool, Map<String, Object> arguments, boolean ok, long durationMillis) {
    try {
      sender.schedule(() -> send(tool, Json.object()
          .put("tool", tool)
          .put("arguments", summary(tool, arguments))
          .put("result", ok ? "ok" : "error")
          .put("duration_ms", Math.max(0, durationMillis))), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not reporting {}: stopping", tool);
    }
  }

  private void send(String tool, ObjectNode body) {
    try {
      gateway.call("POST", gateway.agentPath("activity"), body, REPORT_TIMEOUT);
      failing = false;
    } catch (RuntimeException e) {
      // A lost report loses a line of the timeline, never the agent's work: say so once.
      if (!failing) {
        LOG.warn("reporting the call of {} to the replay log failed: {}", tool, e.getMessage());
      }
      failing = true;
    }
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

  /** Sends what is queued (shutting down does not cancel delayed reports), for at most two seconds. */
  @Override
  public void close() {
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
