package io.meshcode.bus;

import io.meshcode.core.ids.Names;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells an agent it was assigned a task: for each {@code task.assigned} event the replay log
 * logs, a message of kind {@code event} goes to the assignee's inbox, in the same transaction,
 * so it wakes the agent's wait like any message. Its id derives from the event's id, so a
 * redelivered event never notifies twice.
 */
final class TaskNotices {

  static final String TASK_ASSIGNED = "task.assigned";
  /** The sender of a notice when the event names no agent that assigned the task (the owner). */
  static final String SYSTEM_SENDER = "meshcode";

  private TaskNotices() {}

  /** Whether any of {@code entries} calls for a notice (is a task assignment). */
  static boolean calledForByAny(List<LogEntry> entries) {
    return entries.stream().anyMatch(entry -> TASK_ASSIGNED.equals(entry.type()));
  }

  /**
   * The notices {@code entries} call for, each one send's statement ({@link MessageRepository#SEND})
   * to run in the transaction that logs them, with their meshworks' log counters held. Pass only
   * the entries that transaction stored: a notice's id derives from its event's, so one made again
   * stores nothing, but an event logged before notices existed never had one.
   */
  static List<SendGroups.Statement<?>> statements(List<LogEntry> entries) {
    List<SendGroups.Statement<?>> notices = new ArrayList<>();
    for (LogEntry entry : entries) {
      if (TASK_ASSIGNED.equals(entry.type())) {
        notice(entry).ifPresent(notices::add);
      }
    }
    return notices;
  }

  private static Optional<SendGroups.Statement<?>> notice(LogEntry entry) {
    JsonObject payload = entry.payload() == null ? new JsonObject() : entry.payload();
    String assignee = payload.getString("assignee");
    if (assignee == null || !Names.NAME.matcher(assignee).matches()) {
      return Optional.empty();
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
        "task-" + taskId, null, null);
    return Optional.of(MessageRepository.sendStatement(new AgentSlot(entry.meshwork(), sender), meshworkName, message,
        List.of(new Recipient(entry.meshwork(), meshworkName, assignee)), BusSettings.DEFAULT_IDLE_SECONDS, null));
  }
}
