package io.meshcode.tasks;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;

/**
 * Task and reservation changes for the dashboard, the replay log and the bus's notifications,
 * written to the outbox in the transaction of the change. {@code agent} is the one who acted
 * (the holder, for a reservation that ran out).
 */
final class TaskEvents {

  static final String TASK_CREATED = "task.created";
  static final String TASK_UPDATED = "task.updated";
  static final String TASK_CLAIMED = "task.claimed";
  static final String TASK_ASSIGNED = "task.assigned";
  static final String TASK_DELETED = "task.deleted";
  static final String RESERVATION_CREATED = "reservation.created";
  static final String RESERVATION_RELEASED = "reservation.released";
  static final String RESERVATION_EXPIRED = "reservation.expired";

  private TaskEvents() {}

  static Future<Void> record(SqlConnection conn, String type, Actor actor, JsonObject payload) {
    return Outbox.append(conn, Topics.EVENTS, EventEnvelope.of(type, actor.meshwork().toString(), actor.agent(), payload));
  }

  static Future<Void> created(SqlConnection conn, Actor actor, Task task) {
    return record(conn, TASK_CREATED, actor, new JsonObject()
        .put("task_id", task.id().toString())
        .put("title", task.title())
        .put("description", task.description())
        .put("status", task.status())
        .put("priority", task.priority())
        .put("assignee", task.assignee())
        .put("progress", task.progress())
        .put("created_by", task.createdBy())
        .put("version", task.version()));
  }

  /** {@code changes}: each changed field's {@code {from, to}}; {@code note} as the updater wrote it, or null. */
  static Future<Void> updated(SqlConnection conn, Actor actor, Task task, JsonObject changes, String note) {
    return record(conn, TASK_UPDATED, actor, new JsonObject()
        .put("task_id", task.id().toString())
        .put("title", task.title())
        .put("version", task.version())
        .put("changes", changes)
        .put("note", note));
  }

  static Future<Void> claimed(SqlConnection conn, Actor actor, Task task, String previousStatus) {
    return record(conn, TASK_CLAIMED, actor, new JsonObject()
        .put("task_id", task.id().toString())
        .put("title", task.title())
        .put("status", task.status())
        .put("previous_status", previousStatus)
        .put("version", task.version()));
  }

  /** The bus turns this into a message to {@code assignee}. */
  static Future<Void> assigned(SqlConnection conn, Actor actor, Task task) {
    return record(conn, TASK_ASSIGNED, actor, new JsonObject()
        .put("task_id", task.id().toString())
        .put("title", task.title())
        .put("assignee", task.assignee())
        .put("by", actor.agent()));
  }

  static Future<Void> deleted(SqlConnection conn, Actor actor, Task task) {
    return record(conn, TASK_DELETED, actor, new JsonObject()
        .put("task_id", task.id().toString())
        .put("title", task.title())
        .put("version", task.version()));
  }

  static Future<Void> reserved(SqlConnection conn, Actor holder, List<String> paths, String reason, boolean shared,
      int ttlSeconds, Instant expiresAt, List<String> renewed) {
    return record(conn, RESERVATION_CREATED, holder, new JsonObject()
        .put("paths", new JsonArray(paths))
        .put("reason", reason)
        .put("shared", shared)
        .put("ttl_seconds", ttlSeconds)
        .put("expires_at", expiresAt.toString())
        .put("renewed", new JsonArray(renewed)));
  }

  static Future<Void> released(SqlConnection conn, Actor holder, List<String> paths) {
    return record(conn, RESERVATION_RELEASED, holder, new JsonObject().put("paths", new JsonArray(paths)));
  }

  static Future<Void> expired(SqlConnection conn, Actor holder, Reservation reservation) {
    return record(conn, RESERVATION_EXPIRED, holder, new JsonObject()
        .put("paths", new JsonArray().add(reservation.path()))
        .put("reason", reservation.reason())
        .put("shared", reservation.shared())
        .put("expires_at", reservation.expiresAt().toString()));
  }
}
