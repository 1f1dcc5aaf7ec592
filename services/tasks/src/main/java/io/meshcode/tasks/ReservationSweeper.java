package io.meshcode.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes reservations whose time is up and reports each as {@code reservation.expired}. Each
 * pass is one transaction of {@link ReservationRepository#sweep}; passes never overlap, and every
 * replica may run one against the same database. Nothing waits for it: an expired reservation
 * already counts for nothing; the sweeper only tidies up and tells.
 */
final class ReservationSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationSweeper.class);
  static final int BATCH = 500;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Pool pool;
  private final Duration interval;
  private final Runnable onReported;
  private final String name;

  private boolean running;
  private long timerId = -1;
  private Future<Integer> current = Future.succeededFuture(0);
  private boolean failing;

  ReservationSweeper(Vertx vertx, Pool pool, Duration interval, Runnable onReported, String name) {
    this.vertx = vertx;
    this.pool = pool;
    this.interval = interval;
    this.onReported = onReported;
    this.name = name;
  }

  /** Starts sweeping every interval; call and stop on the verticle's context. */
  void start() {
    if (running) {
      return;
    }
    running = true;
    schedule(interval.toMillis());
    LOG.info("{}: reservation sweeper started, every {} ms", name, interval.toMillis());
  }

  /** Stops and completes once the pass in flight, if any, has committed or failed. */
  Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    vertx.cancelTimer(timerId);
    return current.<Void>transform(ignored -> Future.succeededFuture())
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(timeout -> Future.succeededFuture());
  }

  /** One pass: deletes and reports at most a batch of expired reservations; completes with how many. */
  Future<Integer> sweepOnce() {
    return pool.withTransaction(conn -> ReservationRepository.sweep(conn, BATCH)).onSuccess(swept -> {
      if (swept > 0) {
        onReported.run();
      }
    });
  }

  private void cycle() {
    timerId = -1;
    if (!running) {
      return;
    }
    current = sweepOnce().onComplete(result -> {
      if (result.succeeded()) {
        if (failing) {
          LOG.info("{}: reservation sweep works again", name);
          failing = false;
        }
        // A full batch means more are probably waiting: go again at once.
        schedule(result.result() >= BATCH ? 0 : interval.toMillis());
      } else {
        // Every interval while the database is down: warn once, not on every pass.
        if (!failing) {
          LOG.warn("{}: sweeping expired reservations failed, retrying every {} ms: {}", name, interval.toMillis(),
              result.cause().getMessage());
          failing = true;
        }
        schedule(interval.toMillis());
      }
    });
  }

  private void schedule(long delayMs) {
    if (running) {
      timerId = vertx.setTimer(Math.max(1, delayMs), id -> cycle());
    }
  }
}
