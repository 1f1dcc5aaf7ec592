package io.meshcode.bus;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.testkit.EventPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Puts records on the mesh's topics the way the other services do, and reads the replay log the
 * bus makes of them through its route.
 */
final class LogFeed implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final EventPublisher publisher = new EventPublisher();

  /** An event about {@code agent} (null: about the meshwork), at a time PostgreSQL keeps exactly. */
  static EventEnvelope event(Mesh mesh, String type, String agent, JsonObject payload) {
    return event(mesh, type, agent, Instant.now().truncatedTo(ChronoUnit.MILLIS), payload);
  }

  static EventEnvelope event(Mesh mesh, String type, String agent, Instant time, JsonObject payload) {
    return new EventEnvelope(Ids.newId(), type, mesh.id(), agent, time, payload);
  }

  /**
   * Sends {@code text} from {@code sender} of {@code from} to {@code recipients} through the bus, as
   * the gateway forwards a send; returns the bus's answer. The send logs it.
   */
  static JsonObject sendMessage(BusClient client, Mesh from, String sender, String text, Recipient... recipients) {
    JsonArray resolved = new JsonArray();
    JsonArray to = new JsonArray();
    for (Recipient recipient : recipients) {
      resolved.add(new JsonObject().put("meshwork_id", recipient.mesh().id()).put("meshwork", recipient.mesh().name())
          .put("agent", recipient.agent()));
      to.add(recipient.mesh().equals(from) ? recipient.agent() : recipient.mesh().name() + "/" + recipient.agent());
    }
    return client.sender(from, sender, resolved).post(from.agentPath(sender) + "/messages",
        new JsonObject().put("to", to).put("text", text)).expect(201);
  }

  record Recipient(Mesh mesh, String agent) {}

  /** Publishes {@code event} keyed by its meshwork; returns where the broker put it. */
  RecordMetadata send(String topic, EventEnvelope event) {
    return publisher.send(topic, event);
  }

  RecordMetadata send(String topic, String key, String value) {
    return publisher.send(topic, key, value);
  }

  static String logPath(Mesh mesh, String query) {
    return "/meshworks/" + mesh.name() + "/log" + (query.isEmpty() ? "" : "?" + query);
  }

  /** One page of the log as {@code caller} reads it. */
  static JsonObject page(Caller caller, Mesh mesh, String query) {
    return caller.get(logPath(mesh, query)).expect(200);
  }

  static List<JsonObject> entries(Caller caller, Mesh mesh, String query) {
    JsonArray entries = page(caller, mesh, query).getJsonArray("entries");
    List<JsonObject> list = new ArrayList<>(entries.size());
    entries.forEach(entry -> list.add((JsonObject) entry));
    return list;
  }

  /** Waits until the whole log {@code caller} sees satisfies {@code done}; returns it. */
  static List<JsonObject> await(Caller caller, Mesh mesh, Predicate<List<JsonObject>> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<JsonObject> now = entries(caller, mesh, "limit=500");
      if (done.test(now)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting on the log of " + mesh.name() + "; have " + now);
      }
      BusClient.sleep(50);
    }
  }

  /** Waits until the log holds an entry with {@code id}; returns the whole log. */
  static List<JsonObject> awaitId(Caller caller, Mesh mesh, String id) {
    return await(caller, mesh, entries -> entries.stream().anyMatch(entry -> id.equals(entry.getString("id"))));
  }

  static List<String> ids(List<JsonObject> entries) {
    return entries.stream().map(entry -> entry.getString("id")).toList();
  }

  static List<Long> seqs(List<JsonObject> entries) {
    return entries.stream().map(entry -> entry.getLong("seq")).toList();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
