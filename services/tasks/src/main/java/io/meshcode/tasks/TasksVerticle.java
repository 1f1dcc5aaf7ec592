package io.meshcode.tasks;

import io.meshcode.core.service.OutboxServiceVerticle;
import io.meshcode.core.service.PeriodicJob;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The tasks service: the task board and file reservations. Every change writes its events to the
 * outbox in its own transaction; once the schema is migrated, the relay publishes them and the
 * sweeper clears the reservations whose time is up.
 */
public final class TasksVerticle extends OutboxServiceVerticle {

  private final TasksSettings tasks;
  private PeriodicJob sweeper;

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
  protected Future<Void> startBackground() {
    sweeper = ReservationSweeper.create(vertx, pool, tasks.sweepInterval(), this::wakeRelay, settings.name());
    sweeper.start();
    return Future.succeededFuture();
  }

  /** Requests have drained: the sweeper stops, then the relay publishes what it and the requests wrote and stops. */
  @Override
  protected Future<Void> stopBackground() {
    return sweeper == null ? Future.succeededFuture() : sweeper.stop();
  }
}
