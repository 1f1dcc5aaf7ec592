package io.meshcode.memory;

import io.meshcode.core.service.OutboxServiceVerticle;
import io.meshcode.core.service.ServiceSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * The memory service: per-agent memory and the meshwork scratchpad. Every change writes its event
 * to the outbox in its own transaction; once the schema is migrated, the relay publishes them.
 */
public final class MemoryVerticle extends OutboxServiceVerticle {

  public MemoryVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // A change's event goes out at once rather than at the relay's next poll.
    MemoryRoutes.mount(api, pool, this::wakeRelay);
  }
}
