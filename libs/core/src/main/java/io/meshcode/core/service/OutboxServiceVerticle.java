package io.meshcode.core.service;

import io.meshcode.core.outbox.OutboxRelay;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;

/**
 * A service that writes its events to the outbox table of its own schema, in the transaction of
 * each change ({@link io.meshcode.core.outbox.Outbox}). Its relay starts once the schema is
 * migrated; once requests have drained, the service's background work stops, then the relay
 * publishes what they all wrote and stops, before the pool and producer close.
 */
public abstract class OutboxServiceVerticle extends ServiceVerticle {

  private OutboxRelay relay;

  protected OutboxServiceVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  /** Something was committed: its events go out at once rather than at the relay's next poll. */
  protected final void wakeRelay() {
    if (relay != null) {
      relay.wake();
    }
  }

  /** Starts background work that needs the service's tables (a sweeper, a consumer), once the relay runs. */
  protected Future<Void> startBackground() {
    return Future.succeededFuture();
  }

  /** Stops that work; the relay's last pass comes after, and publishes what it wrote. */
  protected Future<Void> stopBackground() {
    return Future.succeededFuture();
  }

  @Override
  protected final Future<Void> afterMigration() {
    relay = new OutboxRelay(vertx, pool, producer, settings.name(), kafkaAccess().writes());
    relay.start();
    return startBackground();
  }

  @Override
  protected final Future<?> afterDrain() {
    return stopBackground().compose(v -> relay == null ? Future.succeededFuture() : relay.stop().compose(stopped -> relay.relayOnce()));
  }
}
