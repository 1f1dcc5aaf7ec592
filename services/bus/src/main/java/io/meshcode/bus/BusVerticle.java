package io.meshcode.bus;

import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** The bus service: messages, per-recipient deliveries and cursors, acks, agent sessions, presence and the replay event log. */
public final class BusVerticle extends ServiceVerticle {

  public BusVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // Its routes arrive with the issues that give the service its features.
  }
}
