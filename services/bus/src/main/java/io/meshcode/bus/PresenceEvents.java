package io.meshcode.bus;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** Sessions, status changes and tool calls for the dashboard and the replay log, written to the outbox in the transaction of the change. */
final class PresenceEvents {

  static final String SESSION_OPENED = "session.opened";
  static final String SESSION_TAKEN_OVER = "session.taken_over";
  static final String SESSION_CLOSED = "session.closed";
  static final String AGENT_STATUS = "agent.status";
  static final String TOOL_CALLED = "tool.called";

  private PresenceEvents() {}

  static Future<Void> record(SqlConnection conn, String type, AgentSlot slot, JsonObject payload) {
    return Outbox.append(conn, Topics.EVENTS, EventEnvelope.of(type, slot.meshwork().toString(), slot.agent(), payload));
  }

  static Future<Void> statusChanged(SqlConnection conn, StatusChange change) {
    return record(conn, AGENT_STATUS, change.slot(), new JsonObject().put("from", change.from()).put("to", change.to()));
  }

  static Future<Void> toolCalled(SqlConnection conn, AgentSlot slot, ToolCall call) {
    return record(conn, TOOL_CALLED, slot, call.toJson());
  }
}
