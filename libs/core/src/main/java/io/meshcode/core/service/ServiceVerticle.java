package io.meshcode.core.service;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.db.Database;
import io.meshcode.core.http.FailureHandler;
import io.meshcode.core.http.RequestIdHandler;
import io.meshcode.core.http.RequestTarget;
import io.meshcode.core.http.edge.HttpEdge;
import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaFailures;
import io.meshcode.core.retry.Backoff;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every MeshCode service has in common: its PostgreSQL pool and schema, its Kafka clients,
 * the probes ({@code /health}, {@code /readiness}), Prometheus metrics, the internal-token guard
 * on {@code /v1/*}, the shared error shape, and a graceful stop. A service adds its routes in
 * {@link #mountApi(Router)}.
 *
 * <p>{@code start()} completes once the HTTP server listens and fails if it cannot. A database or
 * broker that is down at start does not fail it: the schema migration and topic set-up retry in
 * the background, readiness stays DOWN (with the cause logged) until they succeed, and the
 * service recovers by itself when they come back.
 */
public abstract class ServiceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceVerticle.class);
  private static final String MIGRATING = "migrating the schema";
  private static final String SETTING_UP_TOPICS = "setting up Kafka topics";
  /** The largest body the API takes; the gateway enforces its own, smaller or equal, limit first. */
  public static final int MAX_BODY_BYTES = 256 * 1024;
  /**
   * What a service takes from the gateway: the largest API body and room for what the gateway
   * adds to it (a broadcast's resolved recipients, {@link io.meshcode.core.auth.VouchedList}).
   */
  public static final int MAX_FORWARDED_BODY_BYTES = 4 * MAX_BODY_BYTES;

  protected final ServiceSettings settings;
  private final PrometheusMeterRegistry metrics;

  protected Pool pool;
  protected KafkaProducer<String, String> producer;
  protected KafkaAdminClient admin;
  protected InternalTokens tokens;
  protected Readiness readiness;

  private final HttpEdge edge;
  private HttpServer server;
  private Future<Void> schemaReady = Future.failedFuture("not started");
  private Future<Void> topicsReady = Future.failedFuture("not started");
  /** Why each set-up step last failed, for readiness to say while it retries. */
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  protected ServiceVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.edge = isPublic() ? new HttpEdge(settings.edge()) : null;
  }

  /**
   * Whether clients reach this service directly (the gateway) rather than only through the
   * gateway. Only a public service frames its requests strictly and times and caps its clients
   * ({@link HttpEdge}): on an internal hop the client is the gateway's own, and the work is paid
   * on every message (docs/PERFORMANCE.md, session 10).
   */
  protected boolean isPublic() {
    return false;
  }

  /**
   * What guards a public service's connections before Vert.x reads them, null for an internal one:
   * its Vert.x instance must be built with an {@link io.meshcode.core.http.edge.EdgeTransport} of
   * it ({@link ServiceLauncher} does).
   */
  public HttpEdge edge() {
    return edge;
  }

  /** The service's own metrics registry, for gauges and counters of its own. */
  protected PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The PostgreSQL schema this service owns; its migrations live under {@code db/<schema>/}. */
  protected String schema() {
    return settings.name();
  }

  /** Adds the service's own routes under {@code /v1}; every one of them is behind the internal token. */
  protected void mountApi(Router api) {}

  /**
   * What the service does on Kafka: the topics it writes and reads, its consumer groups. Its
   * clients keep to it, it sets up only these topics at start, and its Kafka user's ACLs come
   * from it.
   */
  protected abstract KafkaAccess kafkaAccess();

  /** Services verify internal tokens; the gateway also signs them. */
  protected InternalTokens createTokens() {
    return InternalTokens.verifier(vertx, settings.internalPublicKeyPem());
  }

  /**
   * Mounts the API: by default a {@code /v1} router behind the internal-token guard holding the
   * routes of {@link #mountApi}. The gateway mounts its public, OpenAPI-described edge instead.
   */
  protected Future<Void> mountRoutes(Router root, Handler<RoutingContext> failures) {
    Router api = Router.router(vertx);
    // The body handler goes first: an asynchronous guard before it could lose request data.
    api.route().handler(BodyHandler.create(false).setBodyLimit(MAX_FORWARDED_BODY_BYTES));
    api.route().handler(new InternalAuthHandler(tokens));
    mountApi(api);
    api.route().failureHandler(failures);
    root.route("/v1/*").subRouter(api);
    return Future.succeededFuture();
  }

  /**
   * Runs once in-flight requests have finished and before the pool and producer close: the place
   * to stop background work that uses them (an outbox relay publishing what those requests wrote).
   */
  protected Future<?> afterDrain() {
    return Future.succeededFuture();
  }

  /** Runs once the Kafka topics exist (and again if it fails, with the set-up's retries): for consumers that assign partitions. */
  protected Future<Void> afterTopics() {
    return Future.succeededFuture();
  }

  /** Runs as the service starts to stop, before in-flight requests drain: the place to end requests that would otherwise hold on (long polls). */
  protected void beforeDrain() {}

  /**
   * Who may read {@code /metrics}: anyone who reaches the port, by default (a service behind the
   * gateway is not public). Runs before the metrics are written; it calls {@code next()} to let
   * the caller through.
   */
  protected Handler<RoutingContext> metricsGuard() {
    return RoutingContext::next;
  }

  /** Adds checks beyond the service's own database and broker. */
  protected void addReadinessChecks(Readiness readiness) {}

  /** Runs once the schema is migrated, for start-up work that needs the service's own tables. */
  protected Future<Void> afterMigration() {
    return Future.succeededFuture();
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, settings.database(), schema());
    producer = KafkaClients.producer(vertx, settings.kafka(), settings.name());
    admin = KafkaClients.admin(vertx, settings.kafka(), settings.name() + "-admin");
    tokens = createTokens();

    readiness = new Readiness(settings.name())
        .add("postgres", () -> requireDone(schemaReady, "schema not migrated yet", MIGRATING)
            .compose(v -> pool.query("SELECT 1").execute()))
        .add("kafka", () -> requireDone(topicsReady, "topics not set up yet", SETTING_UP_TOPICS)
            .compose(v -> admin.describeCluster())
            .recover(failure -> Future.failedFuture(KafkaFailures.describe(failure, settings.kafka()))));
    addReadinessChecks(readiness);

    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/readiness").handler(readiness.handler());
    router.get("/metrics").handler(metricsGuard()).handler(PrometheusScrapingHandler.create(metrics));
    FailureHandler failures = new FailureHandler(settings.name());

    if (edge != null) {
      metrics.gauge("meshcode.http.connections.open", edge, HttpEdge::open);
      metrics.gauge("meshcode.http.connections.refused", edge, HttpEdge::refused);
      metrics.gauge("meshcode.http.connections.evicted", edge, HttpEdge::evicted);
    }
    // No HTTP/2 upgrade: the edge frames HTTP/1.x only, and nothing here speaks HTTP/2.
    // Strict thread mode: a public service answers each request on its connection's own event loop
    // (everything that answers later hops back to the request's context first), so a connection
    // needs no queue of writes from other threads; that queue is 4.6 KB of heap per open
    // connection, most of what a parked wait costs (docs/PERFORMANCE.md, "Heap per parked wait").
    // A write from another thread fails loudly instead of being queued.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.httpHost()).setPort(settings.httpPort())
        .setHttp2ClearTextEnabled(false).setStrictThreadMode(isPublic()));
    return mountRoutes(router, failures)
        .compose(ignored -> {
          router.route().last().handler(ctx -> ctx.fail(404));
          router.route().failureHandler(failures);
          return server.requestHandler(RequestTarget.guard(router)).listen();
        })
        .onSuccess(s -> {
          LOG.info("{} listening on {}:{}", settings.name(), settings.httpHost(), s.actualPort());
          schemaReady = retrying(MIGRATING,
              () -> Database.migrate(vertx, settings.database(), schema()).compose(n -> afterMigration()));
          topicsReady = retrying(SETTING_UP_TOPICS,
              () -> KafkaClients.ensureTopics(admin, settings.kafka(), kafkaAccess().topics()).compose(v -> afterTopics()));
        })
        .recover(failure -> closeClients().transform(ignored -> Future.failedFuture(
            PortInUseException.isAddressInUse(failure) ? new PortInUseException(settings.httpHost(), settings.httpPort()) : failure)));
  }

  /** The port the service listens on (useful when it was configured as 0). */
  public int port() {
    return server.actualPort();
  }

  /** Readiness of this service, for the ready-made probe and for tests. */
  public Readiness readiness() {
    return readiness;
  }

  /** Both the schema and the topics are set up (not a live check: see {@link #readiness()}). */
  public Future<Void> setUp() {
    return Future.all(schemaReady, topicsReady).mapEmpty();
  }

  /**
   * Reports not-ready, stops accepting, lets in-flight requests finish within the grace period,
   * then closes the clients.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    readiness.markStopping();
    beforeDrain();
    long graceMs = settings.shutdownGrace().toMillis();
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    return drained
        .eventually(this::afterDrain)
        .eventually(this::closeClients)
        .onComplete(ignored -> LOG.info("{} stopped", settings.name()));
  }

  private Future<?> closeClients() {
    stopping = true;
    // A dead broker would hold an unbounded close until undeliverable records expire (30 s and more).
    return Future.join(producer.close(settings.shutdownGrace().toMillis()), admin.close(settings.shutdownGrace().toMillis()), pool.close());
  }

  private Future<Void> requireDone(Future<Void> step, String reason, String what) {
    if (step.succeeded()) {
      return step;
    }
    String failure = lastFailure.get(what);
    return Future.failedFuture(failure == null ? reason : reason + ": " + failure);
  }

  private Future<Void> retrying(String what, Supplier<Future<?>> action) {
    Promise<Void> done = Promise.promise();
    attempt(what, action, done, Backoff.standard());
    return done.future();
  }

  private void attempt(String what, Supplier<Future<?>> action, Promise<Void> done, Backoff backoff) {
    if (stopping) {
      done.tryFail(settings.name() + " is stopping");
      return;
    }
    action.get().onComplete(result -> {
      if (result.succeeded()) {
        lastFailure.remove(what);
        done.complete();
        return;
      }
      String reason = KafkaFailures.describe(result.cause(), settings.kafka());
      lastFailure.put(what, reason);
      long delayMs = backoff.nextMillis();
      LOG.warn("{}: {} failed, retrying in {} ms: {}", settings.name(), what, delayMs, reason);
      vertx.setTimer(delayMs, id -> attempt(what, action, done, backoff));
    });
  }

}
