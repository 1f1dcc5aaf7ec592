package io.meshcode.bus;

import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Tells an agent it was assigned a task: for each {@code task.assigned} event the replay log
 * stores, a message of kind {@code event} goes to the assignee's inbox, in the same transaction,
 * so it wakes the agent's wait like any message. Its id derives from the event's id, so a
 * redelivered event never notifies twice.
 */
final class TaskNotices {

  static final String TASK_ASSIGNED = "task.assigned";
  /** The sender of a notice when the event names no agent that assigned the task (the owner). */
  static final String SYSTEM_SENDER = "meshcode";

  private TaskNotices() {}

  static Future<Void> deliver(SqlConnection conn, List<LogEntry> stored) {
    List<LogEntry> assignments = stored.stream().filter(e -> TASK_ASSIGNED.equals(e.type())).toList();
    return io.meshcode.core.db.Sql.each(assignments, entry -> notice(conn, entry));
  }

  private static Future<?> notice(SqlConnection conn, LogEntry entry) {
    JsonObject payload = entry.payload() == null ? new JsonObject() : entry.payload();
    String assignee = payload.getString("assignee");
    if (assignee == null || !Names.NAME.matcher(assignee).matches()) {
      return Future.succeededFuture();
    }
    String by = payload.getString("by");
    String sender = by != null && Names.NAME.matcher(by).matches() ? by : SYSTEM_SENDER;
    String title = payload.getString("title", "");
    String taskId = payload.getString("task_id");
    UUID id = UUID.nameUUIDFromBytes((TASK_ASSIGNED + ":" + entry.meshwork() + ":" + entry.id()).getBytes(StandardCharsets.UTF_8));
    String meshworkName = payload.getString("meshwork", entry.meshwork().toString());
    OutgoingMessage message = new OutgoingMessage(id, true, assignee, "event",
        "You were assigned the task \"" + title + "\" (" + taskId + ").",
        new JsonObject().put("event", TASK_ASSIGNED).put("task_id", taskId).put("title", title).put("by", by),
        "task-" + taskId, null);
    return MessageRepository.sendIn(conn, new AgentSlot(entry.meshwork(), sender), meshworkName, message,
        List.of(new Recipient(entry.meshwork(), meshworkName, assignee)), BusSettings.DEFAULT_IDLE_SECONDS);
  }
}
