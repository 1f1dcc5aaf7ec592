package io.meshcode.gateway;

import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.service.Readiness;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The public edge. Its readiness is the mesh's: its own database and broker, and every service
 * behind it.
 */
public final class GatewayVerticle extends ServiceVerticle {

  private final GatewaySettings gateway;
  private AccountRepository accounts;
  private UpstreamReadiness upstreams;

  public GatewayVerticle(GatewaySettings gateway, PrometheusMeterRegistry metrics) {
    super(gateway.service(), metrics);
    this.gateway = gateway;
  }

  @Override
  protected void addReadinessChecks(Readiness readiness) {
    upstreams = new UpstreamReadiness(vertx);
    gateway.upstreams().forEach((name, url) -> readiness.add(name, () -> upstreams.check(url)));
  }

  @Override
  protected InternalTokens createTokens() {
    return InternalTokens.signer(vertx, gateway.internalKeys());
  }

  @Override
  protected Handler<RoutingContext> apiGuard() {
    accounts = new AccountRepository(pool);
    return new KeyAuthHandler(accounts);
  }

  @Override
  protected void mountApi(Router api) {
    GatewayRoutes.mount(api);
  }

  @Override
  protected Future<Void> afterMigration() {
    return gateway.bootstrapKey().map(accounts::ensureBootstrapKey).orElse(Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    return super.stop().onComplete(ignored -> upstreams.close());
  }
}
