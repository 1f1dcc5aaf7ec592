package io.meshcode.bus;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.service.OutboxServiceVerticle;
import io.meshcode.core.service.PeriodicJob;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The bus service: messages, deliveries and cursors, acks, agent sessions and presence. Every change writes its events to the outbox in its own
 * transaction; once the schema is migrated, the relay publishes them, the sweeper reports the
 * status changes that time alone makes, and the replay log consumer logs mesh.events (and purges
 * what a removed agent or deleted meshwork leaves).
 */
public final class BusVerticle extends OutboxServiceVerticle {

  /**
   * Messages and replay-log entries out; mesh.events in, for the replay log ({@link ReplayLogConsumer}).
   * Still writing mesh.events, though the bus no longer puts events there: outbox rows an earlier
   * version left (a mesh stopped before its relay's last pass, old replicas during a rolling
   * update) must go out, and a relay stops at a row for a topic it may not write.
   */
  public static final KafkaAccess KAFKA_ACCESS = KafkaAccess.NONE
      .writing(Topics.MESSAGES, Topics.EVENTS, Topics.LOG)
      .readingInGroup(ReplayLogConsumer.GROUP, Topics.EVENTS);

  private final BusSettings bus;
  private final StatusReports reports;
  private PeriodicJob sweeper;
  private ReplayLogConsumer replayLog;

  public BusVerticle(BusSettings bus, PrometheusMeterRegistry metrics) {
    super(bus.service(), metrics);
    this.bus = bus;
    this.reports = new StatusReports(bus.idleSeconds());
  }


  @Override
  protected KafkaAccess kafkaAccess() {
    return KAFKA_ACCESS;
  }

  @Override
  protected void mountApi(Router api) {
    // A send's record goes out at once rather than at the relay's next poll.
    BusRoutes.mount(api, pool, bus, reports, this::wakeRelay);
  }

  @Override
  protected Future<Void> startBackground() {
    sweeper = PresenceSweeper.create(vertx, pool, reports, bus.sweepInterval(), settings.name());
    sweeper.start();
    replayLog = new ReplayLogConsumer(vertx, new ReplayLogRepository(pool), new BusPurge(pool), settings.kafka(), kafkaAccess(), admin, settings.name(), this::wakeRelay);
    replayLog.start();
    return Future.succeededFuture();
  }

  /**
   * Requests have drained: the sweeper and the replay log consumer stop, then the relay publishes
   * what they and the requests wrote and stops, all before the pool and producer close.
   */
  @Override
  protected Future<Void> stopBackground() {
    Future<Void> swept = sweeper == null ? Future.succeededFuture() : sweeper.stop();
    return swept.compose(v -> replayLog == null ? Future.succeededFuture() : replayLog.stop());
  }
}
