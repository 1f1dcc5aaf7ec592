package io.meshcode.testkit;

import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.core.service.ServiceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import java.util.concurrent.atomic.AtomicInteger;

/** A minimal service for testing what every service inherits: a slow route to watch shutdown drain it. */
final class ProbeVerticle extends ServiceVerticle {

  static final long SLOW_MS = 1500;
  /** How many slow requests have reached the route (in any probe of this JVM): a test's request is in flight once this counts it. */
  static final AtomicInteger SLOW_STARTED = new AtomicInteger();

  ProbeVerticle(ServiceSettings settings, PrometheusMeterRegistry metrics) {
    super(settings, metrics);
  }

  /** It writes and reads nothing; the topics of the whole mesh exist anyway (EventPublisher, the services). */
  @Override
  protected KafkaAccess kafkaAccess() {
    return KafkaAccess.NONE;
  }

  @Override
  protected void mountApi(Router api) {
    api.get("/slow").handler(ctx -> {
      SLOW_STARTED.incrementAndGet();
      vertx.setTimer(SLOW_MS, id -> ctx.end("finished"));
    });
  }
}
