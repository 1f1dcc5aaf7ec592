package io.meshcode.memory;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** The meshwork's scratchpad: reading and validating requests, shaping answers. */
final class ScratchpadHandlers {

  static final String EXPECTED_VERSION = "expected_version";

  private final ScratchpadRepository scratchpad;

  ScratchpadHandlers(ScratchpadRepository scratchpad) {
    this.scratchpad = scratchpad;
  }

  /** Writes the key: 201 when it creates it, 200 when it replaces it; with expected_version, only if that is the current version. */
  Future<Reply> set(RoutingContext ctx, UUID meshwork) {
    String key = EntryKey.fromPath(ctx);
    JsonInput body = JsonInput.of(ctx, "value", EXPECTED_VERSION);
    EntryValue value = EntryValue.from(body, ScratchpadRepository.VALUE_MAX_BYTES);
    Long expected = expectedVersion(body.value(EXPECTED_VERSION));
    Writer writer = Writer.of(InternalAuthHandler.principal(ctx));
    return scratchpad.set(meshwork, key, value, expected, writer)
        .map(written -> written.created() ? Reply.created(written.toJson()) : Reply.ok(written.toJson()));
  }

  Future<Reply> get(RoutingContext ctx, UUID meshwork) {
    String key = EntryKey.fromPath(ctx);
    return scratchpad.find(meshwork, key).map(found -> Reply.ok(Entry.lookup(key, found)));
  }

  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    return scratchpad.all(meshwork).map(entries -> Reply.ok(new JsonObject()
        .put("ok", true)
        .put("entries", Entry.toJson(entries))
        .put("count", entries.size())
        .put("max_keys", ScratchpadRepository.MAX_KEYS)));
  }

  /** Deletes the key; with {@code ?expected_version=}, only if that is its current version. */
  Future<Reply> delete(RoutingContext ctx, UUID meshwork) {
    String key = EntryKey.fromPath(ctx);
    Long expected = expectedVersion(ctx);
    Writer writer = Writer.of(InternalAuthHandler.principal(ctx));
    return scratchpad.delete(meshwork, key, expected, writer).map(removed -> Reply.ok(new JsonObject()
        .put("ok", true)
        .put("key", key)
        .put("deleted", removed.isPresent())));
  }

  /** The body's expected_version: a whole number, 0 or more (0: the key must not exist yet); null if absent. */
  static Long expectedVersion(Object raw) {
    if (raw == null) {
      return null;
    }
    // A number beyond a long arrives as a BigInteger, a fraction as a Double: neither is a version.
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < 0) {
      throw badVersion();
    }
    return ((Number) raw).longValue();
  }

  /** The same from the query ({@code ?expected_version=}), given at most once; an empty one counts as not given. */
  static Long expectedVersion(RoutingContext ctx) {
    List<String> values = ctx.queryParam(EXPECTED_VERSION);
    if (values.size() > 1) {
      throw ApiException.badRequest("'" + EXPECTED_VERSION + "' must be given once");
    }
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return null;
    }
    String text = values.get(0);
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw badVersion();
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw badVersion();
    }
  }

  private static ApiException badVersion() {
    return ApiException.badRequest("'" + EXPECTED_VERSION + "' must be a whole number, 0 or more (0: the key must not exist yet)");
  }
}
