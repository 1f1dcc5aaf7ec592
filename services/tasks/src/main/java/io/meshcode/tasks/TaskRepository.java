package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The task board. Every change locks the task's row first ({@code FOR UPDATE}), so concurrent
 * updates and claims of one task take turns on any number of replicas and each sees the version
 * the one before it left: of N simultaneous claims exactly one finds the task free. Each change
 * writes its events in its own transaction and wakes the relay once it commits.
 */
final class TaskRepository {

  private static final UUID BEFORE_ALL = new UUID(0, 0);

  static final String INSERT = """
      INSERT INTO tasks (id, meshwork_id, title, description, status, priority, assignee, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING %s
      """.formatted(Task.COLUMNS);

  static final String FIND = """
      SELECT %s FROM tasks WHERE meshwork_id = $1 AND id = $2
      """.formatted(Task.COLUMNS);

  static final String LOCK = """
      SELECT %s FROM tasks WHERE meshwork_id = $1 AND id = $2 FOR UPDATE
      """.formatted(Task.COLUMNS);

  // Ids are time-ordered (UUID v7), so id order is creation order. One statement per combination
  // of filters: a prepared statement soon gets a plan made for any parameters, and a filter that
  // may be null could not use its index there, so a page of one agent's tasks read the whole board.
  static final String LIST = """
      SELECT %s FROM tasks
       WHERE meshwork_id = $1 AND id > $2
       ORDER BY id
       LIMIT $3
      """.formatted(Task.COLUMNS);

  static final String LIST_BY_STATUS = """
      SELECT %s FROM tasks
       WHERE meshwork_id = $1 AND status = $2 AND id > $3
       ORDER BY id
       LIMIT $4
      """.formatted(Task.COLUMNS);

  static final String LIST_BY_ASSIGNEE = """
      SELECT %s FROM tasks
       WHERE meshwork_id = $1 AND assignee = $2 AND id > $3
       ORDER BY id
       LIMIT $4
      """.formatted(Task.COLUMNS);

  static final String LIST_BY_STATUS_AND_ASSIGNEE = """
      SELECT %s FROM tasks
       WHERE meshwork_id = $1 AND status = $2 AND assignee = $3 AND id > $4
       ORDER BY id
       LIMIT $5
      """.formatted(Task.COLUMNS);

  static final String UPDATE = """
      UPDATE tasks
         SET title = $3, description = $4, status = $5, priority = $6, assignee = $7, progress = $8,
             version = version + 1, updated_at = now()
       WHERE meshwork_id = $1 AND id = $2
      RETURNING %s
      """.formatted(Task.COLUMNS);

  static final String DELETE = """
      DELETE FROM tasks WHERE meshwork_id = $1 AND id = $2
      """;

  private final Pool pool;
  private final Runnable onCommit;

  TaskRepository(Pool pool, Runnable onCommit) {
    this.pool = pool;
    this.onCommit = onCommit;
  }

  Future<Task> create(Actor actor, NewTask task) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.of(Ids.newUuid(), actor.meshwork(), task.title(), task.description(), task.status(),
                task.priority(), task.assignee(), actor.agent()))
            .map(rows -> Task.from(rows.iterator().next()))
            .compose(created -> TaskEvents.created(conn, actor, created)
                .compose(v -> notifyAssignee(conn, actor, created))
                .map(created)))
        .onSuccess(v -> onCommit.run());
  }

  Future<Task> find(UUID meshwork, UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(meshwork, id)).map(TaskRepository::one);
  }

  Future<TaskQuery.Page> list(TaskQuery query) {
    Tuple params = Tuple.of(query.meshwork());
    if (query.status() != null) {
      params.addString(query.status());
    }
    if (query.assignee() != null) {
      params.addString(query.assignee());
    }
    params.addUUID(query.after() == null ? BEFORE_ALL : query.after()).addInteger(query.limit() + 1);
    return pool.preparedQuery(listing(query)).execute(params)
        .map(rows -> {
          List<Task> tasks = Sql.rows(rows).stream().map(Task::from).toList();
          boolean more = tasks.size() > query.limit();
          List<Task> page = more ? tasks.subList(0, query.limit()) : tasks;
          return new TaskQuery.Page(page, more ? page.get(page.size() - 1).id() : null);
        });
  }

  /** The statement for the filters {@code query} gives: its parameters are the meshwork, the filters given, after and limit. */
  private static String listing(TaskQuery query) {
    if (query.status() == null) {
      return query.assignee() == null ? LIST : LIST_BY_ASSIGNEE;
    }
    return query.assignee() == null ? LIST_BY_STATUS : LIST_BY_STATUS_AND_ASSIGNEE;
  }

  /**
   * Applies {@code patch} to the task as it is now. A stale {@code version} is 409
   * {@code version_conflict}; an update that changes nothing and carries no note leaves the task
   * (and its version) as it is and reports nothing.
   */
  Future<Task> update(Actor actor, UUID id, TaskPatch patch) {
    return pool.withTransaction(conn -> lock(conn, actor.meshwork(), id).compose(current -> {
          checkVersion(current, patch.version());
          Task wanted = patch.applyTo(current);
          JsonObject changes = TaskPatch.changes(current, wanted);
          if (changes.isEmpty() && patch.note() == null) {
            return Future.succeededFuture(current);
          }
          return write(conn, actor.meshwork(), wanted).compose(updated -> TaskEvents.updated(conn, actor, updated, changes, patch.note())
              .compose(v -> changes.containsKey("assignee") ? notifyAssignee(conn, actor, updated) : Future.succeededFuture())
              .map(updated));
        }))
        .onSuccess(v -> onCommit.run());
  }

  /** Deletes the task; with {@code version}, only if it is still at that version. */
  Future<Void> delete(Actor actor, UUID id, Integer version) {
    return pool.withTransaction(conn -> lock(conn, actor.meshwork(), id).compose(current -> {
          checkVersion(current, version);
          return conn.preparedQuery(DELETE).execute(Tuple.of(actor.meshwork(), id))
              .compose(v -> TaskEvents.deleted(conn, actor, current));
        }))
        .onSuccess(v -> onCommit.run());
  }

  /**
   * The actor takes the task: it becomes the assignee, and a task still {@code todo} turns
   * {@code in_progress}. A task another agent holds is 409 {@code claimed} naming the holder; a
   * closed one is 409 {@code task_closed}. Claiming a task one already holds changes nothing
   * unless it was still {@code todo}.
   */
  Future<Task> claim(Actor actor, UUID id) {
    return pool.withTransaction(conn -> lock(conn, actor.meshwork(), id).compose(current -> {
          if (current.isClosed()) {
            throw new Conflict("task_closed", "task is " + current.status() + "; reopen it before claiming it",
                new JsonObject().put("status", current.status()));
          }
          if (current.assignee() != null && !current.assignee().equals(actor.agent())) {
            throw new Conflict("claimed", "task is held by '" + current.assignee() + "'",
                new JsonObject().put("holder", current.assignee()));
          }
          String status = Task.TODO.equals(current.status()) ? Task.IN_PROGRESS : current.status();
          if (actor.agent().equals(current.assignee()) && status.equals(current.status())) {
            return Future.succeededFuture(current);
          }
          Task wanted = new TaskPatch(null, null, status, null, true, actor.agent(), null, null, null).applyTo(current);
          return write(conn, actor.meshwork(), wanted)
              .compose(claimed -> TaskEvents.claimed(conn, actor, claimed, current.status()).map(claimed));
        }))
        .onSuccess(v -> onCommit.run());
  }

  /** An assignment is news for the assignee, unless it assigned itself or the task was unassigned. */
  private static Future<Void> notifyAssignee(SqlConnection conn, Actor actor, Task task) {
    if (task.assignee() == null || task.assignee().equals(actor.agent())) {
      return Future.succeededFuture();
    }
    return TaskEvents.assigned(conn, actor, task);
  }

  private static Future<Task> lock(SqlConnection conn, UUID meshwork, UUID id) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(meshwork, id)).map(TaskRepository::one);
  }

  private static Future<Task> write(SqlConnection conn, UUID meshwork, Task task) {
    return conn.preparedQuery(UPDATE)
        .execute(Tuple.of(meshwork, task.id(), task.title(), task.description(), task.status(), task.priority(),
            task.assignee(), task.progress()))
        .map(rows -> Task.from(rows.iterator().next()));
  }

  private static void checkVersion(Task current, Integer expected) {
    if (expected != null && expected != current.version()) {
      throw new Conflict("version_conflict",
          "the task is at version " + current.version() + ", not " + expected + "; read it again and retry",
          new JsonObject().put("current_version", current.version()));
    }
  }

  private static Task one(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw unknownTask();
    }
    return Task.from(rows.iterator().next());
  }

  static ApiException unknownTask() {
    return ApiException.notFound("no task with that id in this meshwork");
  }
}
