package io.meshcode.memory;

import io.meshcode.core.outbox.OutboxRelay;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The memory service: per-agent memory and the meshwork scratchpad. Every change writes its event
 * to the outbox in its own transaction; once the schema is migrated, the relay publishes them.
 */
public final class MemoryVerticle extends ServiceVerticle {

  private OutboxRelay relay;

  public MemoryVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // A change's event goes out at once rather than at the relay's next poll.
    MemoryRoutes.mount(api, pool, () -> {
      if (relay != null) {
        relay.wake();
      }
    });
  }

  @Override
  protected Future<Void> afterMigration() {
    relay = new OutboxRelay(vertx, pool, producer, settings.name());
    relay.start();
    return Future.succeededFuture();
  }

  /** Requests have drained: the relay publishes what they wrote and stops, before the pool and producer close. */
  @Override
  protected Future<?> afterDrain() {
    return relay == null ? Future.succeededFuture() : relay.stop().compose(stopped -> relay.relayOnce());
  }
}
