package io.meshcode.memory;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stored memory or scratchpad entry: its value, the value's size in UTF-8 bytes, its version
 * (the one its last write took), who wrote it last and when.
 */
record Entry(String key, String value, int size, long version, String updatedBy, Instant updatedAt) {

  /** Reads {@code key, value, size, version, updated_by, updated_at}, columns of both tables. */
  static Entry from(Row row) {
    return new Entry(row.getString("key"), row.getString("value"), row.getInteger("size"), row.getLong("version"),
        row.getString("updated_by"), Sql.instant(row, "updated_at"));
  }

  static List<Entry> all(RowSet<Row> rows) {
    List<Entry> entries = new ArrayList<>(rows.size());
    rows.forEach(row -> entries.add(from(row)));
    return entries;
  }

  JsonObject toJson() {
    return putInto(new JsonObject());
  }

  JsonObject putInto(JsonObject json) {
    return json
        .put("key", key)
        .put("value", value)
        .put("size", size)
        .put("version", version)
        .put("updated_by", updatedBy)
        .put("updated_at", Sql.iso(updatedAt));
  }

  /** A look-up's answer: the entry with {@code found: true}, or just the key with {@code found: false} (never a 404). */
  static JsonObject lookup(String key, Optional<Entry> found) {
    JsonObject answer = new JsonObject().put("ok", true).put("found", found.isPresent());
    return found.map(entry -> entry.putInto(answer)).orElseGet(() -> answer.put("key", key));
  }

  static JsonArray toJson(List<Entry> entries) {
    return new JsonArray(entries.stream().map(Entry::toJson).toList());
  }

  /** A write as stored; {@code created} when the key did not exist before it. */
  record Written(Entry entry, boolean created) {

    JsonObject toJson() {
      return entry.putInto(new JsonObject().put("ok", true)).put("created", created);
    }
  }

  /** What a delete removed: the key, and the version and size it had. */
  record Removed(String key, long version, int size) {

    /** Reads the {@code version, size} a {@code DELETE … RETURNING} gave. */
    static Removed from(String key, Row row) {
      return new Removed(key, row.getLong("version"), row.getInteger("size"));
    }
  }
}
