package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.kafka.EventEnvelope;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * What one record of {@code mesh.events} adds to the replay log: one entry in its meshwork.
 * (Messages are logged by the send that stores them: {@link MessageLog}.)
 *
 * <p>A record that cannot be stored as it is (not a JSON object, a field missing or of the wrong
 * kind, a NUL character or a time PostgreSQL refuses) is rejected whole with a reason that
 * quotes nothing of it.
 */
final class LogEntries {

  // timestamptz reaches further, but no event a service reports falls outside these years.
  private static final Instant EARLIEST = LocalDate.of(1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final Instant LATEST = LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

  /** Why a record was left out of the log; the message describes the record's shape, never its content. */
  static final class UnreadableRecord extends IllegalArgumentException {

    UnreadableRecord(String reason) {
      super(reason, null);
    }
  }

  private LogEntries() {}

  static LogEntry of(String value) {
    EventEnvelope envelope = envelope(value);
    UUID meshwork = Sql.uuid(envelope.meshwork()).orElseThrow(() -> new UnreadableRecord("its meshwork is not an id"));
    if (envelope.time().isBefore(EARLIEST) || !envelope.time().isBefore(LATEST)) {
      throw new UnreadableRecord("its time is out of range");
    }
    return LogEntry.unnumbered(meshwork, envelope.id(), envelope.type(), envelope.agent(), envelope.time(), envelope.payload(), null);
  }

  private static EventEnvelope envelope(String value) {
    if (value == null) {
      throw new UnreadableRecord("it has no value");
    }
    JsonObject json;
    try {
      json = new JsonObject(value);
    } catch (DecodeException | ClassCastException e) {
      throw new UnreadableRecord("it is not a JSON object");
    }
    if (holdsNul(json)) {
      throw new UnreadableRecord("it holds a NUL character");
    }
    try {
      return EventEnvelope.fromJson(json);
    } catch (DateTimeParseException e) {
      throw new UnreadableRecord("its time is not an ISO-8601 instant");
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new UnreadableRecord("it is not an event envelope (id, type, meshwork and time as strings, payload an object)");
    }
  }

  /** PostgreSQL stores no NUL in text or jsonb: such a record would fail its batch forever. */
  private static boolean holdsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\0') >= 0;
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
          return true;
        }
      }
    }
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (holdsNul(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
