package io.meshcode.bus;

import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;

/**
 * Sessions, status changes and tool calls for the dashboard and the replay log. The bus logs them
 * itself, in the transaction of the change ({@link ReplayLogRepository#append}), as it logs its
 * messages and delivery changes: they never travel {@code mesh.events}, and the log orders them
 * with those entries as they happened. Announced on {@code mesh.log} once the change commits.
 */
final class PresenceEvents {

  static final String SESSION_OPENED = "session.opened";
  static final String SESSION_TAKEN_OVER = "session.taken_over";
  static final String SESSION_CLOSED = "session.closed";
  static final String AGENT_STATUS = "agent.status";
  static final String TOOL_CALLED = "tool.called";

  private PresenceEvents() {}

  static Future<Void> record(SqlConnection conn, String type, AgentSlot slot, JsonObject payload) {
    return ReplayLogRepository.append(conn, List.of(entry(type, slot, payload)));
  }

  /** Logs every change in one statement, whatever meshworks they are of. */
  static Future<Void> statusesChanged(SqlConnection conn, List<StatusChange> changes) {
    return ReplayLogRepository.append(conn, changes.stream()
        .map(change -> entry(AGENT_STATUS, change.slot(), new JsonObject().put("from", change.from()).put("to", change.to())))
        .toList());
  }

  /** Logs the calls, in their order, in one statement. */
  static Future<Void> toolsCalled(SqlConnection conn, AgentSlot slot, List<ToolCall> calls) {
    return ReplayLogRepository.append(conn, calls.stream().map(call -> entry(TOOL_CALLED, slot, call.toJson())).toList());
  }

  private static LogEntry entry(String type, AgentSlot slot, JsonObject payload) {
    return LogEntry.unnumbered(slot.meshwork(), Ids.newId(), type, slot.agent(), Instant.now(), payload, null);
  }
}
