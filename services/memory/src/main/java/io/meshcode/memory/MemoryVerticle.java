package io.meshcode.memory;

import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** The memory service: per-agent memory and the meshwork scratchpad. */
public final class MemoryVerticle extends ServiceVerticle {

  public MemoryVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // Its routes arrive with the issues that give the service its features.
  }
}
