package io.meshcode.mcp;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@code meshcode_*} tool, and what each call goes through: its arguments checked, the
 * session required, the handler run off the transport's threads, failures turned into
 * {@code {"ok":false,"error":…}} with {@code isError}, and the call reported to the replay log.
 */
final class AgentTools {

  /** The order agents see them in: the wait loop first. */
  static final List<String> ORDER = List.of(
      "meshcode_wait", "meshcode_done", "meshcode_send", "meshcode_broadcast", "meshcode_inbox", "meshcode_status",
      "meshcode_tasks", "meshcode_task_create", "meshcode_task_update", "meshcode_task_claim",
      "meshcode_remember", "meshcode_recall", "meshcode_forget", "meshcode_scratchpad_set", "meshcode_scratchpad_get",
      "meshcode_reserve", "meshcode_release",
      "meshcode_create_meshwork", "meshcode_add_agent", "meshcode_edit_agent", "meshcode_edit_memory", "meshcode_link");
  private static final Logger LOG = LoggerFactory.getLogger(AgentTools.class);

  private final List<ToolSpec> specs;
  private final AgentSession session;
  private final ActivityLog activity;
  private final Cancellations cancellations;

  AgentTools(List<ToolSpec> specs, AgentSession session, ActivityLog activity, Cancellations cancellations) {
    this.specs = specs;
    this.session = session;
    this.activity = activity;
    this.cancellations = cancellations;
  }

  /** Every tool spec, in {@link #ORDER}. */
  static List<ToolSpec> all(Gateway gateway, Inbox inbox, MessageSender sender) {
    List<ToolSpec> specs = new ArrayList<>();
    specs.addAll(new MessageTools(inbox, sender).tools());
    specs.addAll(new MeshworkTools(gateway).tools());
    specs.addAll(new BoardTools(gateway).tools());
    specs.addAll(new MemoryTools(gateway).tools());
    specs.sort(Comparator.comparingInt(spec -> ORDER.indexOf(spec.name())));
    return List.copyOf(specs);
  }

  /** The tool as {@code tools/list} shows it. */
  static McpSchema.Tool describe(ToolSpec spec) {
    return McpSchema.Tool.builder(spec.name(), spec.inputSchema()).description(spec.description()).build();
  }

  List<AsyncToolSpecification> specifications() {
    return specs.stream()
        .map(spec -> new AsyncToolSpecification(describe(spec),
            (exchange, request) -> Mono.fromCallable(() -> call(spec, exchange, request)).subscribeOn(Schedulers.boundedElastic())))
        .toList();
  }

  CallToolResult call(ToolSpec spec, McpAsyncServerExchange exchange, McpSchema.CallToolRequest request) {
    long start = System.nanoTime();
    Map<String, Object> meta = request.meta() == null ? Map.of() : request.meta();
    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
    CancelSignal cancel = cancellations.register(meta.get(StdioTransport.REQUEST_ID_META));
    ObjectNode result;
    boolean failed = false;
    try {
      Args args = Args.of(spec.name(), arguments, spec.arguments());
      ToolCall call = new ToolCall(spec.name(), args, meta.get("progressToken"), exchange, cancel);
      session.require();
      String calledIn = session.sessionId();
      try {
        result = spec.handler().handle(call);
      } catch (ToolError e) {
        // Refused because the session no longer holds the agent: taken over (say so), or ended (once more in a new one).
        if (!session.lost(calledIn, e)) {
          throw e;
        }
        result = spec.handler().handle(call);
      }
    } catch (ToolError e) {
      result = e.resultJson();
      failed = true;
    } catch (RuntimeException e) {
      LOG.error("{} failed", spec.name(), e);
      result = new ToolError("internal", spec.name() + " failed: " + e).resultJson();
      failed = true;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    activity.report(spec.name(), arguments, !failed, millis);
    return CallToolResult.builder().addTextContent(Json.write(result)).isError(failed).build();
  }
}
