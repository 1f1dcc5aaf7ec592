package io.meshcode.tasks;

import io.meshcode.core.service.PeriodicJob;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;

/**
 * Deletes reservations whose time is up and reports each as {@code reservation.expired}. Each
 * pass is one transaction of {@link ReservationRepository#sweep}; passes never overlap, and every
 * replica may run one against the same database. Nothing waits for it: an expired reservation
 * already counts for nothing; the sweeper only tidies up and tells.
 */
final class ReservationSweeper {

  static final int BATCH = 500;

  private ReservationSweeper() {}

  /**
   * The sweeper, sweeping every {@code interval} once started; start and stop it on the
   * verticle's context. {@code onReported} runs after each pass that reported an expiry.
   */
  static PeriodicJob create(Vertx vertx, Pool pool, Duration interval, Runnable onReported, String name) {
    return new PeriodicJob(vertx, name, "reservation sweep", interval, BATCH,
        () -> pool.withTransaction(conn -> ReservationRepository.sweep(conn, BATCH)).onSuccess(swept -> {
          if (swept > 0) {
            onReported.run();
          }
        }));
  }
}
