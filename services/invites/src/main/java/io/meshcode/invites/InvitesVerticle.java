package io.meshcode.invites;

import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** The invites service: meshworks, agent slots, members, invites, scoped guest keys, spectator links and meshwork links. */
public final class InvitesVerticle extends ServiceVerticle {

  public InvitesVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  @Override
  protected void mountApi(Router api) {
    // Its routes arrive with the issues that give the service its features.
  }
}
