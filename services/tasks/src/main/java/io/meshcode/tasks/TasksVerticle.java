package io.meshcode.tasks;

import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** The tasks service: the task board and file reservations. */
public final class TasksVerticle extends ServiceVerticle {

  public TasksVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // Its routes arrive with the issues that give the service its features.
  }
}
