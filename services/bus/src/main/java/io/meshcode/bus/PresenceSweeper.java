package io.meshcode.bus;

import io.meshcode.core.service.PeriodicJob;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;

/**
 * Reports the status changes no request causes: a lease that runs out (offline), activity that
 * ages (idle). Each pass is one transaction of {@link StatusReports#sweep}; passes never overlap,
 * and every replica may run one against the same database.
 */
final class PresenceSweeper {

  private static final int BATCH = 500;

  private PresenceSweeper() {}

  /** The sweeper, sweeping every {@code interval} once started; start and stop it on the verticle's context. */
  static PeriodicJob create(Vertx vertx, Pool pool, StatusReports reports, Duration interval, String name) {
    return new PeriodicJob(vertx, name, "presence sweep", interval, BATCH,
        () -> pool.withTransaction(conn -> reports.sweep(conn, BATCH)));
  }
}
