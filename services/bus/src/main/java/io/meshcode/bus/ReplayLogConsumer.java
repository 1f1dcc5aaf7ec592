package io.meshcode.bus;

import io.meshcode.core.kafka.GroupConsumer;
import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the replay log from {@code mesh.events} (a message is logged by the send that stores it:
 * {@link MessageLog}). Every bus replica joins the one group {@value #GROUP}, so each record is
 * logged by one of them. The records of a poll are stored in one transaction, and their offsets
 * committed only once it has committed ({@link GroupConsumer}): a record that comes again finds
 * its entry already there. A record that cannot be read is skipped with a warning, never holding
 * up its partition. An agent slot's removal or a meshwork's deletion, once logged, purges what
 * the bus keeps for it ({@link BusPurge}): everything the meshwork logged before it is logged
 * by then, since a meshwork's records share a partition.
 */
final class ReplayLogConsumer {

  static final String GROUP = "bus-replay-log";

  private static final Logger LOG = LoggerFactory.getLogger(ReplayLogConsumer.class);

  private final ReplayLogRepository log;
  private final Removals.Purge purge;
  private final String name;
  private final Runnable onStored;
  private final GroupConsumer consumer;

  /** {@code onStored} runs after each batch that stored new entries (the bus wakes its outbox relay, to publish them on mesh.log). */
  ReplayLogConsumer(Vertx vertx, ReplayLogRepository log, Removals.Purge purge, KafkaSettings kafka, KafkaAccess access,
      KafkaAdminClient admin, String name, Runnable onStored) {
    this.log = log;
    this.purge = purge;
    this.name = name;
    this.onStored = onStored;
    this.consumer = new GroupConsumer(vertx, kafka, access, admin, name + "-replay-log", GROUP, Set.of(Topics.EVENTS),
        "writing the replay log", this::store);
  }

  /** Starts consuming; call it and {@link #stop()} on the verticle's context. */
  void start() {
    consumer.start();
  }

  /** Stops after the batch in flight, if any, has committed or failed. */
  Future<Void> stop() {
    return consumer.stop();
  }

  /** Stores a poll's records in one transaction, then purges what they remove. */
  private Future<Void> store(KafkaConsumerRecords<String, String> records) {
    List<LogEntry> entries = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      try {
        entries.add(LogEntries.of(record.value()));
      } catch (RuntimeException e) {
        // The reason only: the record's content may hold anything.
        String reason = e instanceof LogEntries.UnreadableRecord ? e.getMessage() : e.getClass().getSimpleName();
        LOG.warn("{}: replay log skips {}-{} offset {}: {}", name, record.topic(), record.partition(), record.offset(), reason);
      }
    }
    return log.store(entries)
        .onSuccess(stored -> {
          if (stored > 0) {
            onStored.run();
          }
        })
        .compose(stored -> purge(entries));
  }

  // A purge runs again when its batch is redelivered (it then finds nothing more to drop).
  private Future<Void> purge(List<LogEntry> entries) {
    Future<Void> done = Future.succeededFuture();
    for (LogEntry entry : entries) {
      if (Removals.AGENT_REMOVED.equals(entry.type()) && entry.agent() != null) {
        done = done.compose(v -> purge.agentRemoved(entry.meshwork(), entry.agent(), entry.time()));
      } else if (Removals.MESHWORK_DELETED.equals(entry.type())) {
        done = done.compose(v -> purge.meshworkDeleted(entry.meshwork(), entry.time()));
      }
    }
    return done;
  }
}
