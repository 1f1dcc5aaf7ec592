package io.meshcode.core.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a service the agent slots removed and the meshworks deleted, from {@code mesh.auth}, so
 * it purges what it keeps for them. A slot's name can be given to a new agent later: what the
 * old one left must not reach it. Every replica of a service joins the group
 * {@code <service>-removals}; a purge must be one that can run twice, and the records of a poll
 * are purged one after the other, committed once all have succeeded ({@link GroupConsumer}).
 */
public final class Removals {

  public static final String AGENT_REMOVED = "agent.removed";
  public static final String MESHWORK_DELETED = "meshwork.deleted";

  /** What a service purges. {@code at} is when the removal happened: what was written after it belongs to whoever came next. */
  public interface Purge {

    /** The slot {@code agent} of {@code meshwork} was removed at {@code at}. */
    Future<Void> agentRemoved(UUID meshwork, String agent, Instant at);

    /** The meshwork was deleted at {@code at}; its id is never used again. */
    Future<Void> meshworkDeleted(UUID meshwork, Instant at);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Removals.class);

  private final String service;
  private final Purge purge;
  private final GroupConsumer consumer;

  /** {@code service} names the group: {@code <service>-removals}, which its {@link KafkaAccess} declares reading {@code mesh.auth} in. */
  public Removals(Vertx vertx, KafkaSettings kafka, KafkaAccess access, KafkaAdminClient admin, String service, Purge purge) {
    this.service = service;
    this.purge = purge;
    this.consumer = new GroupConsumer(vertx, kafka, access, admin, group(service), group(service), Set.of(Topics.AUTH),
        "purging removed agents and deleted meshworks", this::purgeAll);
  }

  public static String group(String service) {
    return service + "-removals";
  }

  /** Starts consuming; call it and {@link #stop()} on the verticle's context. */
  public void start() {
    consumer.start();
  }

  /** Stops after the batch in flight, if any, has been purged or failed. */
  public Future<Void> stop() {
    return consumer.stop();
  }

  private Future<Void> purgeAll(KafkaConsumerRecords<String, String> records) {
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      done = done.compose(v -> purgeOne(record));
    }
    return done;
  }

  private Future<Void> purgeOne(KafkaConsumerRecord<String, String> record) {
    EventEnvelope event;
    UUID meshwork;
    try {
      JsonObject json = new JsonObject(record.value());
      // Other records of mesh.auth (revoked members, links and owner keys) purge nothing.
      String type = json.getString("type");
      if (!AGENT_REMOVED.equals(type) && !MESHWORK_DELETED.equals(type)) {
        return Future.succeededFuture();
      }
      event = EventEnvelope.fromJson(json);
      meshwork = UUID.fromString(event.meshwork());
    } catch (RuntimeException e) {
      // The reason's kind only: the record's content may hold anything.
      LOG.warn("{}: removals skip {}-{} offset {}: {}", service, record.topic(), record.partition(), record.offset(),
          e.getClass().getSimpleName());
      return Future.succeededFuture();
    }
    if (AGENT_REMOVED.equals(event.type())) {
      return event.agent() == null ? Future.succeededFuture() : purge.agentRemoved(meshwork, event.agent(), event.time());
    }
    return purge.meshworkDeleted(meshwork, event.time());
  }
}
