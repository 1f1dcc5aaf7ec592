package io.meshcode.bus;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reading a meshwork's replay log, page by page: forward after a seq, or back before one (newest
 * first), optionally of some entry types only. Owners and spectators read all of it; a guest
 * reads what its own agent sent, what is about it and what was sent to it (a delivery entry names
 * the message's sender among its recipients: {@link DeliveryLog}).
 */
final class ReplayLogHandlers {

  static final int LIMIT_DEFAULT = 100;
  static final int LIMIT_MAX = 500;

  // timestamptz refuses instants much beyond these; no entry's time falls outside them.
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  static final int TYPES_MAX = 20;
  /** The form of every entry type: {@code message.sent}, {@code agent.status}, {@code task.created}… */
  static final Pattern TYPE = Pattern.compile("^[a-z]+\\.[a-z_]+$");
  private static final int TYPE_QUOTED_MAX = 60;

  private final ReplayLogRepository log;

  ReplayLogHandlers(ReplayLogRepository log) {
    this.log = log;
  }

  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    long after = after(ctx);
    Long before = before(ctx);
    if (before != null && param(ctx, "after").isPresent()) {
      throw ApiException.badRequest("'before' and 'after' cannot be given together: read forward after a seq, or back before one");
    }
    LogQuery query = new LogQuery(meshwork, agent(ctx), visibleTo(InternalAuthHandler.principal(ctx)),
        instant(ctx, "since"), instant(ctx, "until"), after, before, types(ctx), limit(ctx));
    return log.page(query).map(page -> Reply.ok(new JsonObject()
        .put("entries", new JsonArray(page.entries().stream().map(LogEntry::toJson).toList()))
        .put(query.backward() ? "next_before" : "next_after", page.next())));
  }

  /** A guest's own agent; a guest token naming none reaches nothing. */
  private static String visibleTo(InternalPrincipal caller) {
    if (caller.kind() != KeyKind.GUEST) {
      return null;
    }
    if (caller.agent() == null) {
      throw ApiException.forbidden("this guest token names no agent");
    }
    return caller.agent();
  }

  private static String agent(RoutingContext ctx) {
    return param(ctx, "agent").map(agent -> {
      if (!Names.NAME.matcher(agent).matches()) {
        throw badParam("agent", Names.RULE);
      }
      return agent;
    }).orElse(null);
  }

  private static Instant instant(RoutingContext ctx, String name) {
    return param(ctx, name).map(text -> {
      try {
        Instant time = Instant.parse(text);
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
          throw badParam(name, "must be between years 1 and 9999");
        }
        return time;
      } catch (DateTimeParseException e) {
        throw badParam(name, "must be an ISO-8601 instant such as 2025-01-31T09:30:00Z");
      }
    }).orElse(null);
  }

  private static long after(RoutingContext ctx) {
    return param(ctx, "after").map(text -> number(text, "after", 0, Long.MAX_VALUE)).orElse(0L);
  }

  /** A seq to read back from; to start at the newest entry, one above any (such as {@value Long#MAX_VALUE}). */
  private static Long before(RoutingContext ctx) {
    return param(ctx, "before").map(text -> number(text, "before", 1, Long.MAX_VALUE)).orElse(null);
  }

  /** {@code type}: entry types separated by commas, each of the form every type has (such as {@code message.sent}). */
  private static List<String> types(RoutingContext ctx) {
    return param(ctx, "type").map(text -> {
      String[] items = text.split(",", -1);
      if (items.length > TYPES_MAX) {
        throw badParam("type", "may name at most " + TYPES_MAX + " entry types");
      }
      Set<String> types = new LinkedHashSet<>();
      for (String item : items) {
        if (!TYPE.matcher(item).matches()) {
          String named = item.length() <= TYPE_QUOTED_MAX ? "'" + item + "'" : "an item";
          throw badParam("type", "has " + named + " that is not an entry type: each must be lowercase words joined by a dot, "
              + "such as message.sent");
        }
        types.add(item);
      }
      return List.copyOf(types);
    }).orElse(null);
  }

  private static int limit(RoutingContext ctx) {
    return param(ctx, "limit").map(text -> (int) number(text, "limit", 1, LIMIT_MAX)).orElse(LIMIT_DEFAULT);
  }

  private static long number(String text, String name, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw badParam(name, "must be a whole number");
    }
    if (value < min || value > max) {
      throw badParam(name, "must be between " + min + " and " + max);
    }
    return value;
  }

  /** A query parameter given once; an empty one counts as not given. */
  private static Optional<String> param(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw badParam(name, "must be given once");
    }
    return values.stream().filter(value -> !value.isEmpty()).findFirst();
  }

  private static ApiException badParam(String name, String rule) {
    return ApiException.badRequest("'" + name + "' " + rule);
  }
}
