package io.meshcode.tasks;

import io.meshcode.core.outbox.OutboxRelay;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The tasks service: the task board and file reservations. Every change writes its events to the
 * outbox in its own transaction; once the schema is migrated, the relay publishes them and the
 * sweeper clears the reservations whose time is up.
 */
public final class TasksVerticle extends ServiceVerticle {

  private final TasksSettings tasks;
  private OutboxRelay relay;
  private ReservationSweeper sweeper;

  public TasksVerticle(TasksSettings tasks, PrometheusMeterRegistry metrics) {
    super(tasks.service(), metrics);
    this.tasks = tasks;
  }

  @Override
  protected void mountApi(Router api) {
    // A change's events go out at once rather than at the relay's next poll.
    TasksRoutes.mount(api, pool, this::wakeRelay);
  }

  @Override
  protected Future<Void> afterMigration() {
    relay = new OutboxRelay(vertx, pool, producer, settings.name());
    relay.start();
    sweeper = new ReservationSweeper(vertx, pool, tasks.sweepInterval(), this::wakeRelay, settings.name());
    sweeper.start();
    return Future.succeededFuture();
  }

  /** Requests have drained: the sweeper stops, then the relay publishes what it and the requests wrote and stops. */
  @Override
  protected Future<?> afterDrain() {
    Future<Void> swept = sweeper == null ? Future.succeededFuture() : sweeper.stop();
    return swept.compose(v -> relay == null ? Future.succeededFuture() : relay.stop().compose(stopped -> relay.relayOnce()));
  }

  private void wakeRelay() {
    if (relay != null) {
      relay.wake();
    }
  }
}
