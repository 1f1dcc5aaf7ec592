package io.meshcode.mcp;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of a tool: its arguments, the client's progress token (if it gave one), the exchange
 * to notify it through, and the signal its cancellation sets.
 */
record ToolCall(String tool, Args args, Object progressToken, McpAsyncServerExchange exchange, CancelSignal cancel) {

  private static final Logger LOG = LoggerFactory.getLogger(ToolCall.class);

  boolean wantsProgress() {
    return progressToken != null && exchange != null;
  }

  /** Sends {@code notifications/progress}, if the client asked for them; a failure is only logged. */
  void progress(double progress, Double total, String message) {
    if (!wantsProgress()) {
      return;
    }
    exchange.progressNotification(new ProgressNotification(progressToken, progress, total, message, null))
        .subscribe(null, e -> LOG.debug("sending progress for {} failed: {}", tool, e.toString()));
  }
}
