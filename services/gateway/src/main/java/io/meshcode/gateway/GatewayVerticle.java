package io.meshcode.gateway;

import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.service.Readiness;
import io.meshcode.core.service.OutboxServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.Topics;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public edge: authenticates keys, answers accounts and keys itself, serves the dashboard and
 * signs browsers into it, forwards everything else to the service that owns it with an internal
 * token, and limits what each key may send. Its readiness is the mesh's: its own database and
 * broker, and every service behind it.
 */
public final class GatewayVerticle extends OutboxServiceVerticle {

  /**
   * Owner keys' revocations out; every topic tailed by every replica, with no group, to wake
   * waits, feed streams and drop cached scopes ({@link TopicTail}).
   */
  public static final KafkaAccess KAFKA_ACCESS = KafkaAccess.NONE
      .writing(Topics.AUTH)
      .tailing(Topics.MESSAGES, Topics.LOG, Topics.EVENTS, Topics.AUTH);

  private static final long EVICT_INTERVAL_MS = 60_000;

  private final GatewaySettings gateway;
  private AccountRepository accounts;
  private UpstreamReadiness upstreams;
  private KeyAuthenticator keys;
  private ServiceProxy proxy;
  private final ParkedWaits parked = new ParkedWaits();
  private final StreamHub streams = new StreamHub();
  private ScopeCache scopes;
  private List<TopicTail> tails = List.of();

  public GatewayVerticle(GatewaySettings gateway, PrometheusMeterRegistry metrics) {
    super(gateway.service(), metrics);
    this.gateway = gateway;
  }

  @Override
  protected KafkaAccess kafkaAccess() {
    return KAFKA_ACCESS;
  }

  /** The public edge: clients connect here, and nowhere else. */
  @Override
  protected boolean isPublic() {
    return true;
  }

  @Override
  protected InternalTokens createTokens() {
    return InternalTokens.signer(vertx, gateway.internalKeys());
  }

  @Override
  protected void addReadinessChecks(Readiness readiness) {
    upstreams = new UpstreamReadiness(vertx);
    gateway.upstreams().forEach((name, url) -> readiness.add(name, () -> upstreams.check(url)));

  }

  @Override
  protected Future<Void> mountRoutes(Router root, Handler<RoutingContext> failures) {
    accounts = new AccountRepository(pool);
    DashboardSessions sessions = new DashboardSessions(pool, gateway.dashboardSession());
    keys = new KeyAuthenticator(vertx, accounts, sessions, tokens, gateway.upstreams().get("invites"));
    proxy = new ServiceProxy(vertx, tokens);
    RateLimiter limiter = new RateLimiter(gateway.requestsPerMinute());
    KeyFailureLimit keyFailures = new KeyFailureLimit(gateway.keyFailuresPerMinute());
    scopes = new ScopeCache(gateway.scopeCacheMillis());
    tails = List.of(
        new TopicTail(vertx, settings.kafka(), kafkaAccess(), settings.name() + "-messages", Topics.MESSAGES, record -> {
          JsonObject sent = new JsonObject(record.value());
          parked.wakeRecipients(sent);
          streams.onMessage(sent);
        }),
        new TopicTail(vertx, settings.kafka(), kafkaAccess(), settings.name() + "-streams", Topics.LOG, streams::onLogEntry),
        new TopicTail(vertx, settings.kafka(), kafkaAccess(), settings.name() + "-membership", Topics.EVENTS, scopes::onEvent),
        new TopicTail(vertx, settings.kafka(), kafkaAccess(), settings.name() + "-revocations", Topics.AUTH, record -> {
          scopes.onRevocation(record);
          streams.onAuthChange(record);
        }));
    metrics().gauge("meshcode.waits.parked", parked, ParkedWaits::size);
    metrics().gauge("meshcode.scopes.cached", scopes, ScopeCache::size);
    metrics().gauge("meshcode.streams.open", streams, StreamHub::size);
    vertx.setPeriodic(EVICT_INTERVAL_MS, id -> {
      limiter.evictIdle(System.currentTimeMillis());
      keyFailures.evictIdle(System.currentTimeMillis());
    });

    // First, so that the limits and the request log all key on one client address.
    root.route().handler(gateway.clientAddress().handler());
    // Only the dashboard, served from the gateway's own public address, may call from a browser.
    root.route().handler(CorsHandler.create()
        .addOrigin(gateway.publicOrigin())
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Request-Id"))
        .exposedHeaders(Set.of("X-Request-Id", "Retry-After")));
    root.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml")
        .sendFile(PublicApi.CONTRACT));
    root.get(StreamEndpoint.PATH).handler(new StreamEndpoint(vertx, keys, proxy,
        gateway.upstreams().get(Forwarding.INVITES), gateway.upstreams().get(Forwarding.BUS), streams, gateway.streamQueueBytes()));
    root.get("/join/:token").handler(LinkPages::join);

    return Future.all(PublicApi.loadContract(vertx), DashboardPage.load(vertx)).map(loaded -> {
      OpenAPIContract contract = loaded.resultAt(0);
      DashboardPage dashboard = loaded.resultAt(1);
      dashboard.mount(root);
      Forwarding forwarding = new Forwarding(proxy, gateway.upstreams(), parked, scopes);
      Onboarding onboarding = new Onboarding(accounts);
      Map<String, Handler<RoutingContext>> local = PublicApi.localHandlers(
          new AccountRoutes(accounts, onboarding, gateway.signupEnabled(), this::wakeRelay),
          new TicketRoutes(new TicketRepository(pool), sessions, keys, onboarding, gateway.publicUrl()),
          new WaitHandler(vertx, forwarding, parked, proxy, gateway.upstreams().get(Forwarding.BUS), gateway.waits()));
      // On the verticle's context: the sweep stops with it.
      parked.startSweeping(vertx);
      PublicApi.mount(root, vertx, contract, gateway.maxBodyBytes(), keys, limiter, keyFailures, PublicApi.handlers(contract, local, forwarding), failures);
      return null;
    });
  }

  /**
   * The gateway is the public edge: its metrics (request counts by route, pools, the JVM) are for
   * whoever runs the mesh, so {@code /metrics} asks for the metrics token, when one is set, or an
   * admin's key, as a Prometheus scrape sends it ({@code authorization: {credentials: …}}). The
   * token is checked here alone, so metrics still answer while PostgreSQL is down.
   */
  @Override
  protected Handler<RoutingContext> metricsGuard() {
    return ctx -> {
      String authorization = ctx.request().getHeader("Authorization");
      if (isMetricsToken(authorization)) {
        ctx.next();
      } else {
        requireAdmin(ctx, authorization);
      }
    };
  }

  private boolean isMetricsToken(String authorization) {
    return gateway.metricsTokenHash().isPresent() && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(gateway.metricsTokenHash().get(), SecretKeys.hash(authorization.substring(7).trim()));
  }

  private void requireAdmin(RoutingContext ctx, String authorization) {
    keys.authenticate(authorization).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (!result.result().admin()) {
        ctx.fail(ApiException.forbidden("only an admin's key or the metrics token reads /metrics"));
      } else {
        ctx.next();
      }
    });
  }

  /** Ready only once this replica hears every accepted message, log entry, membership change and revocation. */
  @Override
  protected Future<Void> afterTopics() {
    return Future.all(tails.stream().map(TopicTail::assign).toList()).mapEmpty();
  }

  /** Long polls and streams would hold the drain: waits answer now, streams are told to reconnect. */
  @Override
  protected void beforeDrain() {
    parked.releaseAll();
    streams.closeAll();
  }

  @Override
  protected Future<Void> startBackground() {
    return gateway.bootstrapKey().map(accounts::ensureBootstrapKey).orElse(Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    return super.stop().onComplete(ignored -> {
      upstreams.close();
      if (keys != null) {
        keys.close();
        proxy.close();
      }
      tails.forEach(TopicTail::stop);
    });
  }
}
