package io.meshcode.tasks;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** File reservations' routes: reading and validating requests, shaping answers. */
final class ReservationHandlers {

  static final int PATHS_MAX = 50;
  static final int REASON_MAX = 500;
  static final int TTL_MIN = 10;
  static final int TTL_MAX = 86_400;
  static final int TTL_DEFAULT = 1800;

  private final ReservationRepository reservations;

  ReservationHandlers(ReservationRepository reservations) {
    this.reservations = reservations;
  }

  Future<Reply> reserve(RoutingContext ctx, Actor holder) {
    JsonInput body = JsonInput.of(ctx, "paths", "reason", "ttl_seconds", "shared");
    List<PathPattern> paths = patterns(body.value("paths"));
    String reason = body.requiredString("reason", REASON_MAX);
    if (reason.isBlank()) {
      throw ApiException.badRequest("'reason' must not be blank");
    }
    int ttl = body.optionalInt("ttl_seconds", TTL_MIN, TTL_MAX).orElse(TTL_DEFAULT);
    boolean shared = body.optionalBoolean("shared").orElse(false);
    return reservations.reserve(holder, new ReservationRequest(paths, reason, ttl, shared))
        .map(granted -> Reply.created(new JsonObject()
            .put("reservations", new JsonArray(granted.stream().map(Reservation::toJson).toList()))));
  }

  /** Paths in the query ({@code ?paths=a&paths=b}) or in the body ({@code {"paths": […]}}), not both; none releases all. */
  Future<Reply> release(RoutingContext ctx, Actor holder) {
    JsonInput body = JsonInput.of(ctx, "paths");
    List<String> query = ctx.queryParam("paths");
    Object inBody = body.value("paths");
    if (!query.isEmpty() && inBody != null) {
      throw ApiException.badRequest("'paths' must be given in the query or in the body, not both");
    }
    List<PathPattern> paths = null;
    if (inBody != null) {
      paths = patterns(inBody);
    } else if (!query.isEmpty()) {
      paths = patterns(new JsonArray(new ArrayList<Object>(query)));
    }
    // "docs/v1.2" and "docs/v1.2/" name the same path: either releases it.
    List<String> texts = paths == null ? null : paths.stream().flatMap(p -> Stream.of(p.text(), p.otherSpelling())).toList();
    return reservations.release(holder, texts)
        .map(released -> Reply.ok(new JsonObject().put("released", new JsonArray(released))));
  }

  /** The live reservations; {@code agent} keeps one agent's, {@code path} those that overlap a path or glob. */
  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    String agent = TaskHandlers.param(ctx, "agent").map(value -> {
      if (!Names.NAME.matcher(value).matches()) {
        throw TaskHandlers.badParam("agent", Names.RULE);
      }
      return value;
    }).orElse(null);
    PathPattern path = TaskHandlers.param(ctx, "path").map(value -> PathPattern.parse(value, "path")).orElse(null);
    return reservations.list(meshwork, agent).map(live -> Reply.ok(new JsonObject().put("reservations", new JsonArray(live.stream()
        .filter(reservation -> path == null || path.overlaps(PathPattern.parse(reservation.path(), "path")))
        .map(Reservation::toJson)
        .toList()))));
  }

  /** 1-50 paths or globs, each valid; repeats (after normalizing) count once. */
  private static List<PathPattern> patterns(Object value) {
    if (value == null) {
      throw ApiException.badRequest("'paths' is required");
    }
    if (!(value instanceof JsonArray array)) {
      throw ApiException.badRequest("'paths' must be a list of paths or globs");
    }
    if (array.isEmpty() || array.size() > PATHS_MAX) {
      throw ApiException.badRequest("'paths' must hold 1 to " + PATHS_MAX + " paths or globs");
    }
    Map<String, PathPattern> distinct = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "paths[" + i + "]";
      if (!(array.getValue(i) instanceof String raw)) {
        throw ApiException.badRequest("'" + field + "' must be a string");
      }
      PathPattern pattern = PathPattern.parse(raw, field);
      distinct.putIfAbsent(pattern.text(), pattern);
    }
    return List.copyOf(distinct.values());
  }
}
