package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One entry of a meshwork's replay log: an event, or a message as one meshwork saw it. {@code seq}
 * numbers it within its meshwork from 1 (0 until it is stored); {@code agent} is the agent the
 * event is about or the message's sender; {@code recipients}, for a message only, are the agents
 * of this meshwork it was sent to.
 */
record LogEntry(UUID meshwork, long seq, String id, String type, String agent, Instant time, JsonObject payload,
                List<String> recipients) {

  /** An entry read from Kafka, not numbered yet. */
  static LogEntry unnumbered(UUID meshwork, String id, String type, String agent, Instant time, JsonObject payload,
                             List<String> recipients) {
    return new LogEntry(meshwork, 0, id, type, agent, time, payload, recipients);
  }

  static LogEntry from(UUID meshwork, Row row) {
    String[] recipients = row.getArrayOfStrings("recipients");
    return new LogEntry(meshwork, row.getLong("seq"), row.getString("id"), row.getString("type"), row.getString("agent"),
        Sql.instant(row, "time"), row.getJsonObject("payload"), recipients == null ? null : List.of(recipients));
  }

  /** The entry with another time. */
  LogEntry at(Instant otherTime) {
    return new LogEntry(meshwork, seq, id, type, agent, otherTime, payload, recipients);
  }

  /** As the log route answers it. */
  JsonObject toJson() {
    return new JsonObject()
        .put("seq", seq)
        .put("id", id)
        .put("type", type)
        .put("agent", agent)
        .put("time", Sql.iso(time))
        .put("payload", payload)
        .put("recipients", recipients == null ? null : new JsonArray(new ArrayList<>(recipients)));
  }

  /** As {@code mesh.log} carries it: the route's shape and the meshwork's id, so it reads as an event envelope too. */
  JsonObject toRecord() {
    return toJson().put("meshwork", meshwork.toString());
  }
}
