package io.meshcode.bus;

import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the replay log from {@code mesh.events} (a message is logged by the send that stores it:
 * {@link MessageLog}). Every bus replica
 * joins the one group {@value #GROUP}, so each record is logged by one of them. The records of a
 * poll are stored in one transaction, and their offsets committed only once it has committed. If
 * it fails, nothing is committed: the consumer seeks back to the batch's first offsets and polls
 * it again after a back-off, so nothing is lost, and a record that comes again finds its entry
 * already there. A record that cannot be read is skipped with a warning, never holding up its
 * partition.
 */
final class ReplayLogConsumer {

  static final String GROUP = "bus-replay-log";

  private static final Logger LOG = LoggerFactory.getLogger(ReplayLogConsumer.class);
  private static final Set<String> TOPICS = Set.of(Topics.EVENTS);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final long RETRY_MIN_MS = 500;
  private static final long RETRY_MAX_MS = 5000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final ReplayLogRepository log;
  private final KafkaSettings kafka;
  private final KafkaAdminClient admin;
  private final String name;

  private KafkaConsumer<String, String> consumer;
  private boolean running;
  private long timerId = -1;
  private Future<?> current = Future.succeededFuture();
  private long retryMs = RETRY_MIN_MS;
  private boolean failing;

  private final Runnable onStored;

  /** {@code onStored} runs after each batch that stored new entries (the bus wakes its outbox relay, to publish them on mesh.log). */
  ReplayLogConsumer(Vertx vertx, ReplayLogRepository log, KafkaSettings kafka, KafkaAdminClient admin, String name, Runnable onStored) {
    this.onStored = onStored;
    this.vertx = vertx;
    this.log = log;
    this.kafka = kafka;
    this.admin = admin;
    this.name = name;
  }

  /** Starts consuming; call it and {@link #stop()} on the verticle's context. */
  void start() {
    if (running) {
      return;
    }
    running = true;
    consumer = KafkaClients.consumer(vertx, kafka, name + "-replay-log", GROUP);
    subscribe();
  }

  /**
   * Stops polling and closes the consumer (leaving the group, so another replica takes its
   * partitions at once) after the batch in flight, if any, has committed or failed.
   */
  Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    vertx.cancelTimer(timerId);
    return current.<Void>transform(ignored -> Future.succeededFuture())
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(timeout -> {
          LOG.warn("{}: replay log consumer stopped with a batch still in flight", name);
          return Future.succeededFuture();
        })
        .compose(v -> consumer.close().timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .recover(failure -> {
          LOG.warn("{}: closing the replay log consumer failed: {}", name, failure.getMessage());
          return Future.succeededFuture();
        })
        .onSuccess(v -> LOG.info("{}: replay log consumer stopped", name));
  }

  // The topics first: subscribing before they exist would leave the consumer waiting on metadata.
  private void subscribe() {
    timerId = -1;
    if (!running) {
      return;
    }
    Future<Void> subscribed = KafkaClients.ensureTopics(admin, kafka, Topics.ALL).compose(v -> consumer.subscribe(TOPICS));
    current = subscribed;
    subscribed.onComplete(result -> {
      if (result.succeeded()) {
        LOG.info("{}: replay log consumer started, group {}", name, GROUP);
        retryMs = RETRY_MIN_MS;
        poll();
      } else {
        LOG.warn("{}: subscribing the replay log consumer failed, retrying in {} ms: {}", name, retryMs, result.cause().getMessage());
        timerId = vertx.setTimer(backOff(), id -> subscribe());
      }
    });
  }

  private void poll() {
    timerId = -1;
    if (!running) {
      return;
    }
    Future<Integer> batch = consumer.poll(POLL_TIMEOUT).compose(this::store);
    current = batch;
    batch.onComplete(result -> {
      if (result.succeeded()) {
        if (failing) {
          LOG.info("{}: writing the replay log works again", name);
          failing = false;
        }
        retryMs = RETRY_MIN_MS;
        poll();
      } else {
        // Every back-off while the database is down: warn once, not on every attempt.
        if (!failing) {
          LOG.warn("{}: writing the replay log failed, retrying the batch with back-off ({} ms doubling to {} ms): {}",
              name, RETRY_MIN_MS, RETRY_MAX_MS, result.cause().getMessage());
          failing = true;
        }
        timerId = vertx.setTimer(backOff(), id -> poll());
      }
    });
  }

  /** Stores a poll's records in one transaction, then commits their offsets; completes with how many entries were new. */
  private Future<Integer> store(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
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
        .recover(failure -> seekBack(firstOffsets).transform(ignored -> Future.failedFuture(failure)))
        .compose(stored -> consumer.commit()
            .recover(failure -> {
              // The entries are stored: a later commit covers these offsets, and records read
              // again meanwhile (by the partition's next owner) find their entries there.
              LOG.warn("{}: committing replay log offsets failed: {}", name, failure.getMessage());
              return Future.succeededFuture();
            })
            .map(stored));
  }

  /** Rewinds each partition of a failed batch so the next poll returns it again. */
  private Future<Void> seekBack(Map<TopicPartition, Long> firstOffsets) {
    List<Future<Void>> seeks = new ArrayList<>(firstOffsets.size());
    // A partition revoked meanwhile refuses the seek: its next owner starts from the committed offset anyway.
    firstOffsets.forEach((partition, offset) -> seeks.add(consumer.seek(partition, offset)));
    return Future.join(seeks).transform(ignored -> Future.succeededFuture());
  }

  private long backOff() {
    long delay = retryMs;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    return delay;
  }
}
