package io.meshcode.bus;

import io.meshcode.core.ids.Names;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message's entries in the replay log and its record for {@code mesh.messages}, written in the
 * send's own transaction by one statement. The message is one entry in the sender's meshwork and
 * one in each other meshwork it reached, each naming the recipients of that meshwork; in those
 * other meshworks the sender is written {@code <its meshwork>/<agent>}, so it never passes for one
 * of their own agents.
 *
 * <p>The record is the message's envelope with a {@code log} list added: for each of those
 * entries its meshwork, seq, agent and recipients. Gateways push it to their streams from there,
 * so a message crosses Kafka once; {@code mesh.log} carries the other entries.
 *
 * <p>Each entry takes the next number of its meshwork's log counter. The caller holds those
 * counters' rows already (a send group locks them first, then the inbox positions; the replay
 * log's consumer holds them when it sends a task notice), so numbers go out in commit order.
 */
final class MessageLog {

  // $1: the entries' headers [{meshwork, agent, recipients}], the sender's meshwork first. $5: the
  // envelope's JSON without its closing brace, which the headers, numbered, complete.
  static final String APPEND = """
      WITH reached AS (
        SELECT (r.value ->> 'meshwork')::uuid AS meshwork_id, r.value ->> 'agent' AS agent, r.value -> 'recipients' AS recipients, r.ord
          FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS r(value, ord)
      ), numbered AS (
        INSERT INTO event_log_seq (meshwork_id, last_seq)
        SELECT meshwork_id, 1 FROM reached
        ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq + 1
        RETURNING meshwork_id, last_seq AS seq
      ), logged AS (
        INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
        SELECT r.meshwork_id, n.seq, $2, $8, r.agent, $3, $4::text::jsonb,
               ARRAY(SELECT jsonb_array_elements_text(r.recipients))
          FROM reached r JOIN numbered n USING (meshwork_id)
      )
      INSERT INTO outbox (topic, record_key, payload)
      SELECT $6, $7, $5 || ',"log":' || (
        SELECT jsonb_agg(jsonb_build_object('meshwork', r.meshwork_id, 'seq', n.seq, 'agent', r.agent, 'recipients', r.recipients) ORDER BY r.ord)
          FROM reached r JOIN numbered n USING (meshwork_id))::text || '}'
      """;

  private MessageLog() {}

  /** Logs {@code sent} and stores its record for mesh.messages, on the caller's transaction. */
  static Future<Void> append(SqlConnection conn, EventEnvelope sent, AgentSlot sender, String meshworkName, List<Recipient> recipients) {
    String envelope = sent.toJson().encode();
    return conn.preparedQuery(APPEND).execute(Tuple.of(
            reached(sender, meshworkName, recipients).encode(), sent.id(), sent.time().atOffset(ZoneOffset.UTC),
            sent.payload().encode(), envelope.substring(0, envelope.length() - 1), Topics.MESSAGES, sent.meshwork(), sent.type()))
        .mapEmpty();
  }

  /** Each meshwork the message reached, the sender's first: the sender as that meshwork names it, and its recipients there. */
  static JsonArray reached(AgentSlot sender, String meshworkName, List<Recipient> recipients) {
    Map<UUID, JsonArray> names = new LinkedHashMap<>();
    names.put(sender.meshwork(), new JsonArray());
    for (Recipient recipient : recipients) {
      JsonArray here = names.computeIfAbsent(recipient.meshwork(), id -> new JsonArray());
      if (!here.contains(recipient.agent())) {
        here.add(recipient.agent());
      }
    }
    String home = meshworkName != null && Names.NAME.matcher(meshworkName).matches() ? meshworkName : sender.meshwork().toString();
    JsonArray reached = new JsonArray();
    names.forEach((meshwork, agents) -> reached.add(new JsonObject()
        .put("meshwork", meshwork.toString())
        .put("agent", meshwork.equals(sender.meshwork()) ? sender.agent() : home + "/" + sender.agent())
        .put("recipients", agents)));
    return reached;
  }
}
