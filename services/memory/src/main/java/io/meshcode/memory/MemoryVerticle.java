package io.meshcode.memory;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.service.OutboxServiceVerticle;
import io.meshcode.core.service.ServiceSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The memory service: per-agent memory and the meshwork scratchpad. Every change writes its event
 * to the outbox in its own transaction; once the schema is migrated, the relay publishes them, and
 * removed agents' memories and deleted meshworks' data are purged as their removals arrive.
 */
public final class MemoryVerticle extends OutboxServiceVerticle {

  /** Events of memory and scratchpad changes out; removals in ({@link Removals}). */
  public static final KafkaAccess KAFKA_ACCESS = KafkaAccess.NONE
      .writing(Topics.EVENTS)
      .readingInGroup(Removals.group("memory"), Topics.AUTH);

  private Removals removals;

  public MemoryVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected KafkaAccess kafkaAccess() {
    return KAFKA_ACCESS;
  }

  @Override
  protected void mountApi(Router api) {
    // A change's event goes out at once rather than at the relay's next poll.
    MemoryRoutes.mount(api, pool, this::wakeRelay);
  }

  @Override
  protected Future<Void> startBackground() {
    removals = new Removals(vertx, settings.kafka(), kafkaAccess(), admin, settings.name(), new MemoryPurge(pool));
    removals.start();
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> stopBackground() {
    return removals == null ? Future.succeededFuture() : removals.stop();
  }
}
