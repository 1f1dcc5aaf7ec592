package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The task board's routes: reading and validating requests, shaping answers. */
final class TaskHandlers {

  static final int TITLE_MAX = 200;
  static final int DESCRIPTION_MAX = 10_000;
  static final int NOTE_MAX = 500;
  static final int LIMIT_DEFAULT = 100;
  static final int LIMIT_MAX = 500;

  private static final String[] CREATE_FIELDS = {"title", "description", "status", "priority", "assignee"};
  private static final String[] UPDATE_FIELDS = {"title", "description", "status", "priority", "assignee", "progress", "note", "version"};

  private final TaskRepository tasks;

  TaskHandlers(TaskRepository tasks) {
    this.tasks = tasks;
  }

  Future<Reply> create(RoutingContext ctx, Actor actor) {
    JsonInput body = JsonInput.of(ctx, CREATE_FIELDS);
    NewTask task = new NewTask(
        title(body).orElseThrow(() -> ApiException.badRequest("'title' is required")),
        body.optionalString("description", DESCRIPTION_MAX).orElse(""),
        oneOf(body, "status", Task.STATUSES).orElse(Task.TODO),
        oneOf(body, "priority", Task.PRIORITIES).orElse(Task.NORMAL),
        assignee(body.value("assignee")));
    return tasks.create(actor, task).map(created -> Reply.created(created.toJson()));
  }

  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    String status = param(ctx, "status").map(value -> {
      if (!Task.STATUSES.contains(value)) {
        throw badParam("status", "must be one of " + String.join(", ", Task.STATUSES));
      }
      return value;
    }).orElse(null);
    String assignee = param(ctx, "assignee").map(value -> {
      if (!Names.NAME.matcher(value).matches()) {
        throw badParam("assignee", Names.RULE);
      }
      return value;
    }).orElse(null);
    UUID after = param(ctx, "after").map(value -> Sql.uuid(value).orElseThrow(() -> badParam("after", "must be a task id")))
        .orElse(null);
    int limit = param(ctx, "limit").map(value -> number(value, "limit", 1, LIMIT_MAX)).orElse(LIMIT_DEFAULT);
    return tasks.list(new TaskQuery(meshwork, status, assignee, after, limit)).map(page -> Reply.ok(new JsonObject()
        .put("tasks", new JsonArray(page.tasks().stream().map(Task::toJson).toList()))
        .put("next_after", page.nextAfter() == null ? null : page.nextAfter().toString())));
  }

  Future<Reply> get(RoutingContext ctx, UUID meshwork) {
    return tasks.find(meshwork, taskId(ctx)).map(task -> Reply.ok(task.toJson()));
  }

  Future<Reply> update(RoutingContext ctx, Actor actor) {
    UUID id = taskId(ctx);
    JsonInput body = JsonInput.of(ctx, UPDATE_FIELDS);
    JsonObject raw = raw(ctx);
    for (String field : UPDATE_FIELDS) {
      if (!field.equals("assignee") && raw.containsKey(field) && raw.getValue(field) == null) {
        throw ApiException.badRequest("'" + field + "' must not be null" + (field.equals("note") || field.equals("version") ? "; omit it" : ""));
      }
    }
    TaskPatch patch = new TaskPatch(
        title(body).orElse(null),
        body.optionalString("description", DESCRIPTION_MAX).orElse(null),
        oneOf(body, "status", Task.STATUSES).orElse(null),
        oneOf(body, "priority", Task.PRIORITIES).orElse(null),
        raw.containsKey("assignee"),
        assignee(body.value("assignee")),
        boxed(body, "progress", 0, 100),
        body.optionalString("note", NOTE_MAX).filter(note -> !note.isBlank()).orElse(null),
        boxed(body, "version", 1, Integer.MAX_VALUE));
    if (raw.fieldNames().stream().allMatch(field -> field.equals("version"))) {
      throw ApiException.badRequest("nothing to update: give one of title, description, status, priority, assignee, progress, note");
    }
    return tasks.update(actor, id, patch).map(updated -> Reply.ok(updated.toJson()));
  }

  Future<Reply> delete(RoutingContext ctx, Actor actor) {
    UUID id = taskId(ctx);
    JsonInput.of(ctx);
    Integer version = param(ctx, "version").map(value -> number(value, "version", 1, Integer.MAX_VALUE)).orElse(null);
    return tasks.delete(actor, id, version).map(v -> Reply.noContent());
  }

  Future<Reply> claim(RoutingContext ctx, Actor actor) {
    UUID id = taskId(ctx);
    JsonInput.of(ctx);
    return tasks.claim(actor, id).map(task -> Reply.ok(task.toJson()));
  }

  /** A title: 1-200 characters, one line, not blank. */
  private static Optional<String> title(JsonInput body) {
    return body.optionalString("title", TITLE_MAX).map(title -> {
      if (title.isBlank()) {
        throw ApiException.badRequest("'title' must not be blank");
      }
      if (title.indexOf('\n') >= 0 || title.indexOf('\t') >= 0) {
        throw ApiException.badRequest("'title' must be one line without tabs");
      }
      return title;
    });
  }

  private static Optional<String> oneOf(JsonInput body, String field, List<String> allowed) {
    return body.optionalString(field, 100).map(value -> {
      if (!allowed.contains(value)) {
        throw ApiException.badRequest("'" + field + "' must be one of " + String.join(", ", allowed));
      }
      return value;
    });
  }

  /**
   * An agent's name, or null. The roster belongs to the invites service: any well-formed name is
   * taken, whether or not such an agent exists (yet).
   */
  private static String assignee(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String name)) {
      throw ApiException.badRequest("'assignee' must be an agent's name or null");
    }
    if (!Names.NAME.matcher(name).matches()) {
      throw ApiException.badRequest("'assignee' " + Names.RULE);
    }
    return name;
  }

  private static Integer boxed(JsonInput body, String field, int min, int max) {
    var value = body.optionalInt(field, min, max);
    return value.isPresent() ? value.getAsInt() : null;
  }

  /** The body as parsed, once {@link JsonInput} has accepted it: to tell a field given as null from one left out. */
  private static JsonObject raw(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    return text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
  }

  static UUID taskId(RoutingContext ctx) {
    return Sql.uuid(ctx.pathParam("id")).orElseThrow(() -> ApiException.badRequest("'id' must be a task id (a UUID)"));
  }

  /** A query parameter given once; an empty one counts as not given. */
  static Optional<String> param(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw badParam(name, "must be given once");
    }
    return values.stream().filter(value -> !value.isEmpty()).findFirst();
  }

  static int number(String text, String name, int min, int max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw badParam(name, "must be a whole number");
    }
    if (value < min || value > max) {
      throw badParam(name, "must be between " + min + " and " + max);
    }
    return (int) value;
  }

  static ApiException badParam(String name, String rule) {
    return ApiException.badRequest("'" + name + "' " + rule);
  }
}
