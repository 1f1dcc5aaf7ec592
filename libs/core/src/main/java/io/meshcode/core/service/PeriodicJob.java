package io.meshcode.core.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work done in passes, one every interval: a sweep of what time alone changes. Passes
 * never overlap. A pass that did a full batch is followed at once by the next, since more is
 * probably waiting; a failed pass is retried every interval, with one warning until a pass works
 * again. Start and stop it on the verticle's context; stopping waits for the pass in flight.
 */
public final class PeriodicJob {

  private static final Logger LOG = LoggerFactory.getLogger(PeriodicJob.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String name;
  private final String job;
  private final Duration interval;
  private final int batch;
  private final Supplier<Future<Integer>> pass;

  private boolean running;
  private long timerId = -1;
  private Future<Integer> current = Future.succeededFuture(0);
  private boolean failing;

  /**
   * @param name the service, as log lines name it
   * @param job what a pass does, as log lines name it ("presence sweep")
   * @param batch the most a pass does; a pass that did this many is followed at once by the next
   * @param pass one pass, completing with how much it did
   */
  public PeriodicJob(Vertx vertx, String name, String job, Duration interval, int batch, Supplier<Future<Integer>> pass) {
    this.vertx = vertx;
    this.name = name;
    this.job = job;
    this.interval = interval;
    this.batch = batch;
    this.pass = pass;
  }

  /** Starts a pass every interval, the first after one interval; a second call does nothing. */
  public void start() {
    if (running) {
      return;
    }
    running = true;
    schedule(interval.toMillis());
    LOG.info("{}: {} started, every {} ms", name, job, interval.toMillis());
  }

  /** Stops and completes once the pass in flight, if any, has finished (or after a timeout). */
  public Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    vertx.cancelTimer(timerId);
    return current.<Void>transform(ignored -> Future.succeededFuture())
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(timeout -> Future.succeededFuture());
  }

  /** One pass now, outside the schedule; completes with how much it did. */
  public Future<Integer> runOnce() {
    try {
      return pass.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void cycle() {
    timerId = -1;
    if (!running) {
      return;
    }
    current = runOnce().onComplete(result -> {
      if (result.succeeded()) {
        if (failing) {
          LOG.info("{}: {} works again", name, job);
          failing = false;
        }
        schedule(result.result() >= batch ? 0 : interval.toMillis());
      } else {
        // Every interval while the database is down: warn once, not on every pass.
        if (!failing) {
          LOG.warn("{}: {} failed, retrying every {} ms: {}", name, job, interval.toMillis(), result.cause().getMessage());
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
