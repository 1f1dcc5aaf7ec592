package io.meshcode.memory;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.meshcode.memory.Entry.Removed;
import io.meshcode.memory.Entry.Written;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.UUID;

/**
 * Memory and scratchpad changes for the dashboard and the replay log, written to the outbox in the
 * transaction of the change. The replay log is open to spectators, and a guest reads the entries
 * about its own agent: so a memory's value never goes into an event (its key, size and version
 * do), while a scratchpad write, which every agent and spectator may read anyway, carries the
 * start of its value.
 */
final class StoreEvents {

  static final String MEMORY_REMEMBERED = "memory.remembered";
  static final String MEMORY_FORGOTTEN = "memory.forgotten";
  static final String SCRATCHPAD_SET = "scratchpad.set";
  static final String SCRATCHPAD_DELETED = "scratchpad.deleted";
  static final int PREVIEW_MAX_BYTES = 1024;

  private StoreEvents() {}

  static Future<Void> remembered(SqlConnection conn, AgentSlot slot, Written written, Writer writer) {
    return record(conn, MEMORY_REMEMBERED, slot.meshwork(), writer.agent(), written(written, writer));
  }

  static Future<Void> forgotten(SqlConnection conn, AgentSlot slot, Removed removed, Writer writer) {
    return record(conn, MEMORY_FORGOTTEN, slot.meshwork(), writer.agent(), removed(removed, writer));
  }

  static Future<Void> scratchpadSet(SqlConnection conn, UUID meshwork, Written written, Writer writer) {
    String value = written.entry().value();
    String preview = Utf8.prefix(value, PREVIEW_MAX_BYTES);
    return record(conn, SCRATCHPAD_SET, meshwork, writer.agent(), written(written, writer)
        .put("preview", preview)
        .put("truncated", preview.length() < value.length()));
  }

  static Future<Void> scratchpadDeleted(SqlConnection conn, UUID meshwork, Removed removed, Writer writer) {
    return record(conn, SCRATCHPAD_DELETED, meshwork, writer.agent(), removed(removed, writer));
  }

  private static JsonObject written(Written written, Writer writer) {
    return new JsonObject()
        .put("key", written.entry().key())
        .put("size", written.entry().size())
        .put("version", written.entry().version())
        .put("created", written.created())
        .put("by", writer.name());
  }

  private static JsonObject removed(Removed removed, Writer writer) {
    return new JsonObject()
        .put("key", removed.key())
        .put("size", removed.size())
        .put("version", removed.version())
        .put("by", writer.name());
  }

  private static Future<Void> record(SqlConnection conn, String type, UUID meshwork, String agent, JsonObject payload) {
    return Outbox.append(conn, Topics.EVENTS, EventEnvelope.of(type, meshwork.toString(), agent, payload));
  }
}
