package io.meshcode.core.kafka;

import io.meshcode.core.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes topics in a consumer group, at least once: each poll's records go to {@code handle},
 * and their offsets are committed only once what it returns has succeeded. If it fails, nothing is
 * committed: the consumer seeks back to the batch's first offsets and polls it again after a
 * back-off, so a record is never lost and a handler must take one it has seen before. Every
 * replica of a service joins the same group, so each record is handled by one of them.
 */
public final class GroupConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final KafkaAdminClient admin;
  private final String clientId;
  private final String group;
  private final Set<String> topics;
  private final String purpose;
  private final Function<KafkaConsumerRecords<String, String>, Future<?>> handle;

  private KafkaConsumer<String, String> consumer;
  private boolean running;
  private long timerId = -1;
  private Future<?> current = Future.succeededFuture();
  private final Backoff backoff = Backoff.standard();
  private boolean failing;

  /**
   * @param access what the service declared: it must read {@code topics} in {@code group}
   * @param clientId the Kafka client id (the service replica's name and what it consumes for)
   * @param purpose what the records are for, as the log lines say it ("the replay log")
   */
  public GroupConsumer(Vertx vertx, KafkaSettings kafka, KafkaAccess access, KafkaAdminClient admin, String clientId,
      String group, Set<String> topics, String purpose, Function<KafkaConsumerRecords<String, String>, Future<?>> handle) {
    access.requireGroup(group, topics);
    this.vertx = vertx;
    this.kafka = kafka;
    this.admin = admin;
    this.clientId = clientId;
    this.group = group;
    this.topics = topics;
    this.purpose = purpose;
    this.handle = handle;
  }

  /** Starts consuming; call it and {@link #stop()} on the verticle's context. */
  public void start() {
    if (running) {
      return;
    }
    running = true;
    consumer = KafkaClients.consumer(vertx, kafka, clientId, group);
    subscribe();
  }

  /**
   * Stops polling and closes the consumer (leaving the group, so another replica takes its
   * partitions at once) after the batch in flight, if any, has committed or failed.
   */
  public Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    vertx.cancelTimer(timerId);
    return current.<Void>transform(ignored -> Future.succeededFuture())
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(timeout -> {
          LOG.warn("{}: consumer for {} stopped with a batch still in flight", clientId, purpose);
          return Future.succeededFuture();
        })
        .compose(v -> consumer.close().timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .recover(failure -> {
          LOG.warn("{}: closing the consumer for {} failed: {}", clientId, purpose, failure.getMessage());
          return Future.succeededFuture();
        })
        .onSuccess(v -> LOG.info("{}: consumer for {} stopped", clientId, purpose));
  }

  // The topics first: subscribing before they exist would leave the consumer waiting on metadata.
  private void subscribe() {
    timerId = -1;
    if (!running) {
      return;
    }
    Future<Void> subscribed = KafkaClients.ensureTopics(admin, kafka, List.copyOf(topics)).compose(v -> consumer.subscribe(topics));
    current = subscribed;
    subscribed.onComplete(result -> {
      if (result.succeeded()) {
        LOG.info("{}: consumer for {} started, group {}", clientId, purpose, group);
        backoff.reset();
        poll();
      } else {
        long delayMs = backoff.nextMillis();
        LOG.warn("{}: subscribing the consumer for {} failed, retrying in {} ms: {}", clientId, purpose, delayMs,
            KafkaFailures.describe(result.cause(), kafka));
        timerId = vertx.setTimer(delayMs, id -> subscribe());
      }
    });
  }

  private void poll() {
    timerId = -1;
    if (!running) {
      return;
    }
    Future<?> batch = consumer.poll(POLL_TIMEOUT).compose(this::handleAndCommit);
    current = batch;
    batch.onComplete(result -> {
      if (result.succeeded()) {
        if (failing) {
          LOG.info("{}: {} works again", clientId, purpose);
          failing = false;
        }
        backoff.reset();
        poll();
      } else {
        // Every back-off while the database is down: warn once, not on every attempt.
        if (!failing) {
          LOG.warn("{}: {} failed, retrying the batch with back-off ({} ms doubling to {} ms): {}",
              clientId, purpose, backoff.first().toMillis(), backoff.max().toMillis(), KafkaFailures.describe(result.cause(), kafka));
          failing = true;
        }
        timerId = vertx.setTimer(backoff.nextMillis(), id -> poll());
      }
    });
  }

  private Future<?> handleAndCommit(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      var record = records.recordAt(i);
      firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
    }
    // Through compose, a handler that throws fails the batch like one whose future fails.
    return Future.succeededFuture(records).compose(batch -> handle.apply(batch).<Void>mapEmpty())
        .recover(failure -> seekBack(firstOffsets).transform(ignored -> Future.failedFuture(failure)))
        .compose(handled -> consumer.commit().recover(failure -> {
          // Handled: a later commit covers these offsets, and records read again meanwhile (by
          // the partition's next owner) are ones the handler has seen.
          LOG.warn("{}: committing offsets for {} failed: {}", clientId, purpose, failure.getMessage());
          return Future.succeededFuture();
        }));
  }

  /** Rewinds each partition of a failed batch so the next poll returns it again. */
  private Future<Void> seekBack(Map<TopicPartition, Long> firstOffsets) {
    List<Future<Void>> seeks = new ArrayList<>(firstOffsets.size());
    // A partition revoked meanwhile refuses the seek: its next owner starts from the committed offset anyway.
    firstOffsets.forEach((partition, offset) -> seeks.add(consumer.seek(partition, offset)));
    return Future.join(seeks).transform(ignored -> Future.succeededFuture());
  }
}
