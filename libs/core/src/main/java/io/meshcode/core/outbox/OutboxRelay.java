package io.meshcode.core.outbox;

import io.meshcode.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what {@link Outbox#append} stored. Each pass, in a transaction, deletes a batch in id
 * order (taken with {@code FOR UPDATE SKIP LOCKED}) and has the rows back, sends every record with
 * the service's producer (acks=all, keyed by meshwork), and commits once the broker has them all;
 * a failed send rolls the delete back. Several replicas can relay the same table at once: a row
 * locked by one is skipped by the others.
 *
 * <p>Delivery is at least once: a crash between the broker's ack and the commit sends a batch
 * again, and consumers drop duplicates by the envelope id. Order holds per key within one relay;
 * with several relays running, two batches may interleave.
 *
 * <p>Start it once the outbox table exists (a service's {@code afterMigration}) and stop it before
 * the producer and pool close.
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  // The ids are taken first (an init plan), so the delete finds each by its key whatever the plan.
  // The rows come back in no set order: the pass sorts them.
  private static final String TAKE_BATCH = """
      DELETE FROM outbox
       WHERE id = ANY (ARRAY(SELECT id FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED))
      RETURNING id, topic, record_key, payload
      """;

  /** How much a pass takes, how often an idle relay looks again, how it backs off and how long a stop waits. */
  public record Settings(int batchSize, Duration idlePoll, Duration retryMin, Duration retryMax, Duration stopTimeout) {

    public static Settings defaults() {
      return new Settings(100, Duration.ofMillis(150), Backoff.FIRST, Backoff.MAX, Duration.ofSeconds(5));
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final KafkaProducer<String, String> producer;
  private final String name;
  private final Set<String> topics;
  private final Settings settings;

  private Context context;
  private volatile boolean running;
  private volatile long timerId = -1;
  private volatile Future<?> current = Future.succeededFuture();
  private final Backoff backoff;
  private boolean passInFlight;
  private boolean wokenDuringPass;
  private boolean backingOff;

  /** {@code topics}: those the service declared writing ({@link io.meshcode.core.kafka.KafkaAccess}); a row for another fails its pass. */
  public OutboxRelay(Vertx vertx, Pool pool, KafkaProducer<String, String> producer, String name, Set<String> topics) {
    this(vertx, pool, producer, name, topics, Settings.defaults());
  }

  public OutboxRelay(Vertx vertx, Pool pool, KafkaProducer<String, String> producer, String name, Set<String> topics,
      Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.producer = producer;
    this.name = name;
    this.topics = Set.copyOf(topics);
    this.settings = settings;
    this.backoff = new Backoff(settings.retryMin(), settings.retryMax());
  }

  /** Starts relaying on the caller's Vert.x context (or a new one); a second call does nothing. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> cycle());
    LOG.info("{}: outbox relay started", name);
  }

  /**
   * Stops taking batches and completes once the pass in flight has finished (or after the stop
   * timeout: its transaction then rolls back when the pool closes, and its rows go out later).
   */
  public synchronized Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    vertx.cancelTimer(timerId);
    timerId = -1;
    return current
        .<Void>transform(ignored -> Future.succeededFuture())
        .timeout(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(timeout -> {
          LOG.warn("{}: outbox relay stopped with a pass still in flight", name);
          return Future.succeededFuture();
        })
        .onSuccess(v -> LOG.info("{}: outbox relay stopped", name));
  }

  public boolean running() {
    return running;
  }

  /**
   * Whether a pass is scheduled or in flight; after {@link #stop()} has completed, never again:
   * what the tests check instead of waiting to see that a stopped relay sends nothing.
   */
  public synchronized boolean hasWorkAhead() {
    return timerId != -1 || passInFlight;
  }

  /**
   * Something was just appended: relay it now instead of at the next idle poll. A pass in flight
   * runs again as soon as it ends; a relay backing off after a failure keeps backing off.
   */
  public void wake() {
    Context relayContext = context;
    if (relayContext == null) {
      return;
    }
    relayContext.runOnContext(v -> {
      if (!running || backingOff) {
        return;
      }
      if (passInFlight) {
        wokenDuringPass = true;
      } else if (vertx.cancelTimer(timerId)) {
        cycle();
      }
    });
  }

  /** One pass: publishes at most a batch and completes with how many rows it sent. */
  public Future<Integer> relayOnce() {
    return pool.withTransaction(conn -> conn.preparedQuery(TAKE_BATCH)
        .execute(Tuple.of(settings.batchSize()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(0) : publish(rows)));
  }

  private Future<Integer> publish(RowSet<Row> rows) {
    List<Row> batch = new ArrayList<>(rows.size());
    rows.forEach(batch::add);
    batch.sort(Comparator.comparingLong(row -> row.getLong("id")));
    // Before anything is sent: the whole batch stays in the table, and the pass fails as the
    // broker would for a topic outside the service's ACLs.
    for (Row row : batch) {
      if (!topics.contains(row.getString("topic"))) {
        return Future.failedFuture(new IllegalStateException("outbox row " + row.getLong("id") + " is for "
            + row.getString("topic") + ", which " + name + " does not declare writing (its KafkaAccess)"));
      }
    }
    List<Future<?>> sends = new ArrayList<>(batch.size());
    // Sent together: the producer keeps their order per partition, so waiting per record would only add round trips.
    for (Row row : batch) {
      sends.add(producer.send(KafkaProducerRecord.create(
          row.getString("topic"), row.getString("record_key"), row.getString("payload"))));
    }
    return Future.all(sends).map(sent -> batch.size());
  }

  private void cycle() {
    Future<Integer> pass;
    // With stop(): a pass either never starts or is the one stop() waits for.
    synchronized (this) {
      timerId = -1;
      if (!running) {
        return;
      }
      pass = relayOnce();
      current = pass;
    }
    passInFlight = true;
    wokenDuringPass = false;
    pass.onComplete(result -> {
      passInFlight = false;
      if (result.succeeded()) {
        backingOff = false;
        backoff.reset();
        // A full batch, or a wake during the pass, means more is probably waiting: go again at once.
        boolean more = wokenDuringPass || result.result() >= settings.batchSize();
        schedule(more ? 0 : settings.idlePoll().toMillis());
      } else {
        backingOff = true;
        long delayMs = backoff.nextMillis();
        LOG.warn("{}: relaying outbox events failed, retrying in {} ms: {}", name, delayMs, describe(result.cause()));
        schedule(delayMs);
      }
    });
  }

  private void schedule(long delayMs) {
    if (!running) {
      return;
    }
    if (delayMs <= 0) {
      context.runOnContext(v -> cycle());
    } else {
      timerId = vertx.setTimer(delayMs, id -> cycle());
    }
  }

  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return root == failure ? message : failure.getClass().getSimpleName() + ": " + message;
  }
}
