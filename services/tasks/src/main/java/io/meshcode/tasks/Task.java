package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One task of a meshwork's board, as stored. {@code version} starts at 1 and grows by one with each change. */
record Task(
    UUID id, String title, String description, String status, String priority, String assignee, int progress,
    String createdBy, Instant createdAt, Instant updatedAt, int version) {

  static final List<String> STATUSES = List.of("todo", "in_progress", "blocked", "review", "done", "cancelled");
  static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");
  static final String TODO = "todo";
  static final String IN_PROGRESS = "in_progress";
  static final String NORMAL = "normal";

  /** The columns every query that reads a task selects, in the order {@link #from} reads them. */
  static final String COLUMNS =
      "id, title, description, status, priority, assignee, progress, created_by, created_at, updated_at, version";

  static Task from(Row row) {
    return new Task(
        row.getUUID("id"), row.getString("title"), row.getString("description"), row.getString("status"),
        row.getString("priority"), row.getString("assignee"), row.getInteger("progress"), row.getString("created_by"),
        Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"), row.getInteger("version"));
  }

  /** Done and cancelled tasks are closed: nobody holds them, and they cannot be claimed. */
  boolean isClosed() {
    return status.equals("done") || status.equals("cancelled");
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("description", description)
        .put("status", status)
        .put("priority", priority)
        .put("assignee", assignee)
        .put("progress", progress)
        .put("created_by", createdBy)
        .put("created_at", Sql.iso(createdAt))
        .put("updated_at", Sql.iso(updatedAt))
        .put("version", version);
  }
}
