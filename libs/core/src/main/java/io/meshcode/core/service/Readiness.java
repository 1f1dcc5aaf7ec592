package io.meshcode.core.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named checks that must all pass for the service to take traffic. Each runs for real on every
 * probe (a query, a broker round trip), bounded by a timeout, and a failing one logs its cause.
 */
public final class Readiness {

  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
  private static final long CHECK_TIMEOUT_MS = 3000;

  private final String service;
  private final Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
  private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  public Readiness(String service) {
    this.service = service;
  }

  public Readiness add(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
    return this;
  }

  /** From now on the service reports itself not ready, so load balancers stop sending to it. */
  public void markStopping() {
    stopping = true;
  }

  /** {@code {"status":"UP"|"DOWN","checks":{name:{"status":…,"reason":…}}}}. */
  public Future<JsonObject> check() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<JsonObject>> results = names.stream().map(this::run).toList();
    return Future.join(results).transform(ignored -> {
      JsonObject byName = new JsonObject();
      boolean up = !stopping;
      for (int i = 0; i < names.size(); i++) {
        JsonObject result = results.get(i).result();
        byName.put(names.get(i), result);
        up &= "UP".equals(result.getString("status"));
      }
      JsonObject body = new JsonObject().put("service", service).put("status", up ? "UP" : "DOWN").put("checks", byName);
      if (stopping) {
        body.put("reason", "shutting down");
      }
      return Future.succeededFuture(body);
    });
  }

  private Future<JsonObject> run(String name) {
    Future<?> check;
    try {
      check = checks.get(name).get();
    } catch (RuntimeException e) {
      check = Future.failedFuture(e);
    }
    return check
        .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(ignored -> {
          if (Boolean.FALSE.equals(lastUp.put(name, true))) {
            LOG.info("{} readiness: {} is ready again", service, name);
          }
          return new JsonObject().put("status", "UP");
        })
        .recover(failure -> {
          String reason = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
          // Logged when it goes down, not on every probe; a check that starts down is only worth debug.
          if (Boolean.TRUE.equals(lastUp.put(name, false))) {
            LOG.warn("{} readiness: {} is not ready: {}", service, name, reason);
          } else {
            LOG.debug("{} readiness: {} is not ready: {}", service, name, reason);
          }
          return Future.succeededFuture(new JsonObject().put("status", "DOWN").put("reason", reason));
        });
  }

  /**
   * Answers on the request's own context, whatever thread completed the checks: without this, the
   * gateway (whose server runs in strict thread mode) never answered its readiness while the
   * broker was down (SupervisionIT). Which completion went astray is not pinned down: a check
   * completed on another event loop, or by a time-out there, is answered either way (tried).
   */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      Context requestContext = Vertx.currentContext();
      check().onComplete(result -> requestContext.runOnContext(v -> {
        JsonObject body = result.result();
        ctx.response()
            .setStatusCode("UP".equals(body.getString("status")) ? 200 : 503)
            .putHeader("content-type", "application/json")
            .end(body.encode());
      }));
    };
  }
}
