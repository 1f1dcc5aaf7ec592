package io.meshcode.invites;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.service.OutboxServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * The invites service: meshworks, agent slots, members, invites, scoped guest keys, spectator
 * links and meshwork links. Every change writes its event to the outbox in its own transaction;
 * the relay publishes them once the schema is migrated.
 */
public final class InvitesVerticle extends OutboxServiceVerticle {

  /** Membership events out, and the revocations among them on mesh.auth; it reads nothing. */
  public static final KafkaAccess KAFKA_ACCESS = KafkaAccess.NONE.writing(Topics.EVENTS, Topics.AUTH);

  private final InvitesSettings invites;

  public InvitesVerticle(InvitesSettings invites, PrometheusMeterRegistry metrics) {
    super(invites.service(), metrics);
    this.invites = invites;
  }

  @Override
  protected KafkaAccess kafkaAccess() {
    return KAFKA_ACCESS;
  }

  @Override
  protected void mountApi(Router api) {
    InvitesRoutes.mount(api, pool, invites);
  }
}
