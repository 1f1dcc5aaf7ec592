package io.meshcode.tasks;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An update as asked for, validated: null fields stay as they are, except {@code assignee}, which
 * {@code setsAssignee} says is given (null then unassigns). {@code version}, when given, is the
 * version the update was made against; {@code note} goes into the event only.
 */
record TaskPatch(
    String title, String description, String status, String priority, boolean setsAssignee, String assignee,
    Integer progress, String note, Integer version) {

  /** The task with this update applied; id, creator, times and version stay as they were. */
  Task applyTo(Task task) {
    return new Task(
        task.id(),
        title != null ? title : task.title(),
        description != null ? description : task.description(),
        status != null ? status : task.status(),
        priority != null ? priority : task.priority(),
        setsAssignee ? assignee : task.assignee(),
        progress != null ? progress : task.progress(),
        task.createdBy(), task.createdAt(), task.updatedAt(), task.version());
  }

  /** Each field that differs between the two, as {@code {field: {from, to}}}. */
  static JsonObject changes(Task before, Task after) {
    JsonObject changes = new JsonObject();
    change(changes, "title", before.title(), after.title());
    change(changes, "description", before.description(), after.description());
    change(changes, "status", before.status(), after.status());
    change(changes, "priority", before.priority(), after.priority());
    change(changes, "assignee", before.assignee(), after.assignee());
    change(changes, "progress", before.progress(), after.progress());
    return changes;
  }

  private static void change(JsonObject changes, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      changes.put(field, new JsonObject().put("from", from).put("to", to));
    }
  }
}
