package io.meshcode.invites;

import io.meshcode.core.outbox.OutboxRelay;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The invites service: meshworks, agent slots, members, invites, scoped guest keys, spectator
 * links and meshwork links. Every change writes its event to the outbox in its own transaction;
 * the relay publishes them once the schema is migrated.
 */
public final class InvitesVerticle extends ServiceVerticle {

  private final InvitesSettings invites;
  private OutboxRelay relay;

  public InvitesVerticle(InvitesSettings invites, PrometheusMeterRegistry metrics) {
    super(invites.service(), metrics);
    this.invites = invites;
  }

  @Override
  protected void mountApi(Router api) {
    InvitesRoutes.mount(api, pool, invites);
  }

  @Override
  protected Future<Void> afterMigration() {
    relay = new OutboxRelay(vertx, pool, producer, settings.name());
    relay.start();
    return Future.succeededFuture();
  }

  /** Requests have drained: the relay publishes what they wrote, then stops before the pool and producer close. */
  @Override
  protected Future<?> afterDrain() {
    return relay == null ? Future.succeededFuture() : relay.stop().compose(stopped -> relay.relayOnce());
  }
}
