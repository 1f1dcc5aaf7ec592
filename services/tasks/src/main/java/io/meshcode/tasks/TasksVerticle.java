package io.meshcode.tasks;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.service.OutboxServiceVerticle;
import io.meshcode.core.service.PeriodicJob;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The tasks service: the task board and file reservations. Every change writes its events to the
 * outbox in its own transaction; once the schema is migrated, the relay publishes them, the
 * sweeper clears the reservations whose time is up, and removed agents' reservations and deleted
 * meshworks' boards are purged as their removals arrive ({@link TasksPurge}).
 */
public final class TasksVerticle extends OutboxServiceVerticle {

  /** Task and reservation events out; removals in ({@link Removals}). */
  public static final KafkaAccess KAFKA_ACCESS = KafkaAccess.NONE
      .writing(Topics.EVENTS)
      .readingInGroup(Removals.group("tasks"), Topics.AUTH);

  private final TasksSettings tasks;
  private PeriodicJob sweeper;
  private Removals removals;

  public TasksVerticle(TasksSettings tasks, PrometheusMeterRegistry metrics) {
    super(tasks.service(), metrics);
    this.tasks = tasks;
  }

  @Override
  protected KafkaAccess kafkaAccess() {
    return KAFKA_ACCESS;
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
    removals = new Removals(vertx, settings.kafka(), kafkaAccess(), admin, settings.name(), new TasksPurge(pool, this::wakeRelay));
    removals.start();
    return Future.succeededFuture();
  }

  /** Requests have drained: the sweeper and the purges stop, then the relay publishes what they and the requests wrote and stops. */
  @Override
  protected Future<Void> stopBackground() {
    Future<Void> swept = sweeper == null ? Future.succeededFuture() : sweeper.stop();
    return swept.compose(v -> removals == null ? Future.succeededFuture() : removals.stop());
  }
}
