package io.meshcode.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket streams open on this gateway replica and their subscriptions, by meshwork id.
 * Every replica reads all of {@code mesh.log} and {@code mesh.messages} (whose records carry each
 * message's log entries) and hands each entry to its own subscribers, and
 * re-checks its streams' keys on every {@code mesh.auth} record, so a revoked key loses its
 * stream at once on every replica.
 */
final class StreamHub {

  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Subscription>> byMeshwork = new ConcurrentHashMap<>();

  void opened(Stream stream) {
    streams.add(stream);
  }

  void closed(Stream stream) {
    streams.remove(stream);
    stream.subscriptions().forEach(this::unsubscribe);
  }

  void subscribe(Subscription subscription) {
    byMeshwork.computeIfAbsent(subscription.meshworkId(), id -> ConcurrentHashMap.newKeySet()).add(subscription);
  }

  void unsubscribe(Subscription subscription) {
    byMeshwork.computeIfPresent(subscription.meshworkId(), (id, subs) -> {
      subs.remove(subscription);
      return subs.isEmpty() ? null : subs;
    });
  }

  /** A record of {@code mesh.log}: one sequenced replay-log entry of one meshwork. */
  void onLogEntry(KafkaConsumerRecord<String, String> record) {
    JsonObject entry = new JsonObject(record.value());
    Set<Subscription> subs = byMeshwork.get(entry.getString("meshwork"));
    if (subs != null) {
      subs.forEach(sub -> sub.offer(entry));
    }
  }

  /**
   * A record of {@code mesh.messages}: the message's entry in each meshwork it reached, from the
   * record's {@code log} list and its envelope, in the shape {@code mesh.log} and the log route give.
   */
  void onMessage(JsonObject sent) {
    JsonArray log = sent.getJsonArray("log");
    if (log == null) {
      return;
    }
    for (int i = 0; i < log.size(); i++) {
      JsonObject header = log.getJsonObject(i);
      Set<Subscription> subs = byMeshwork.get(header.getString("meshwork"));
      if (subs != null) {
        JsonObject entry = new JsonObject()
            .put("seq", header.getLong("seq"))
            .put("id", sent.getString("id"))
            .put("type", sent.getString("type"))
            .put("agent", header.getString("agent"))
            .put("time", sent.getString("time"))
            .put("payload", sent.getJsonObject("payload"))
            .put("recipients", header.getJsonArray("recipients"))
            .put("meshwork", header.getString("meshwork"));
        subs.forEach(sub -> sub.offer(entry));
      }
    }
  }

  /** A record of {@code mesh.auth} (a revocation): every stream checks its key again. */
  void onAuthChange(KafkaConsumerRecord<String, String> record) {
    streams.forEach(Stream::recheckKey);
  }

  /** The replica is stopping: every stream is told so and closed. */
  void closeAll() {
    streams.forEach(Stream::goingAway);
  }

  int size() {
    return streams.size();
  }
}
