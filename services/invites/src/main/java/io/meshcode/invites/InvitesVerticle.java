package io.meshcode.invites;

import io.meshcode.core.service.OutboxServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * The invites service: meshworks, agent slots, members, invites, scoped guest keys, spectator
 * links and meshwork links. Every change writes its event to the outbox in its own transaction;
 * the relay publishes them once the schema is migrated.
 */
public final class InvitesVerticle extends OutboxServiceVerticle {

  private final InvitesSettings invites;

  public InvitesVerticle(InvitesSettings invites, PrometheusMeterRegistry metrics) {
    super(invites.service(), metrics);
    this.invites = invites;
  }

  @Override
  protected void mountApi(Router api) {
    InvitesRoutes.mount(api, pool, invites);
  }
}
