package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.ids.Names;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one Kafka record adds to the replay log. An event is one entry in its meshwork. A message
 * ({@code message.sent} on {@code mesh.messages}) is one entry in the sender's meshwork and one in
 * each other meshwork it reached, each naming the recipients of that meshwork; in those other
 * meshworks the sender is written {@code <its meshwork>/<agent>}, so it never passes for one of
 * their own agents.
 *
 * <p>A record that cannot be stored as it is (not a JSON object, a field missing or of the wrong
 * kind, a NUL character or a time PostgreSQL refuses) is rejected whole with a reason that
 * quotes nothing of it.
 */
final class LogEntries {

  static final String MESSAGE_SENT = "message.sent";

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

  static List<LogEntry> of(String topic, String value) {
    EventEnvelope envelope = envelope(value);
    UUID meshwork = Sql.uuid(envelope.meshwork()).orElseThrow(() -> new UnreadableRecord("its meshwork is not an id"));
    if (envelope.time().isBefore(EARLIEST) || !envelope.time().isBefore(LATEST)) {
      throw new UnreadableRecord("its time is out of range");
    }
    if (Topics.MESSAGES.equals(topic) && MESSAGE_SENT.equals(envelope.type())) {
      return message(envelope, meshwork);
    }
    return List.of(entry(envelope, meshwork, envelope.agent(), null));
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

  private static List<LogEntry> message(EventEnvelope envelope, UUID sender) {
    Map<UUID, List<String>> reached = new LinkedHashMap<>();
    reached.put(sender, new ArrayList<>());
    Object recipients = envelope.payload().getValue("recipients");
    if (!(recipients instanceof JsonArray list)) {
      throw new UnreadableRecord("its payload has no recipients list");
    }
    for (Object item : list) {
      if (!(item instanceof JsonObject recipient)
          || !(recipient.getValue("meshwork_id") instanceof String meshworkId)
          || !(recipient.getValue("agent") instanceof String agent)) {
        throw new UnreadableRecord("a recipient lacks meshwork_id or agent");
      }
      UUID meshwork = Sql.uuid(meshworkId).orElseThrow(() -> new UnreadableRecord("a recipient's meshwork_id is not an id"));
      List<String> names = reached.computeIfAbsent(meshwork, id -> new ArrayList<>());
      if (!names.contains(agent)) {
        names.add(agent);
      }
    }
    String from = envelope.agent() == null ? null : senderMeshwork(envelope) + "/" + envelope.agent();
    List<LogEntry> entries = new ArrayList<>(reached.size());
    reached.forEach((meshwork, names) ->
        entries.add(entry(envelope, meshwork, meshwork.equals(sender) ? envelope.agent() : from, names)));
    return entries;
  }

  /** The sender's meshwork as the message names it, or its id when it names none. */
  private static String senderMeshwork(EventEnvelope envelope) {
    Object name = envelope.payload().getValue("meshwork");
    return name instanceof String text && Names.NAME.matcher(text).matches() ? text : envelope.meshwork();
  }

  private static LogEntry entry(EventEnvelope envelope, UUID meshwork, String agent, List<String> recipients) {
    return LogEntry.unnumbered(meshwork, envelope.id(), envelope.type(), agent, envelope.time(), envelope.payload(),
        recipients == null ? null : List.copyOf(recipients));
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
