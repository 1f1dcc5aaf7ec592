package io.meshcode.core.service;

import io.meshcode.core.config.ConfigException;
import io.meshcode.logging.LogSettings;
import io.meshcode.core.config.EnvConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.meshcode.core.http.edge.EdgeTransport;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one service in its own Vert.x instance with its own metrics registry. Each service's
 * {@code Main} runs it as a process; the local mesh starts all five with it in one JVM, which
 * keeps them as separate as separate processes (own event loops, own metrics, own shutdown).
 */
public final class ServiceLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  /** Builds a service's verticle from its environment; throws {@link ConfigException} for bad values. */
  @FunctionalInterface
  public interface ServiceFactory {
    ServiceVerticle create(EnvConfig env, PrometheusMeterRegistry metrics);
  }

  /** A started service: stop it with {@link #close()}. */
  public record RunningService(String name, Vertx vertx, ServiceVerticle verticle) {

    public int port() {
      return verticle.port();
    }

    /** Graceful: undeploys (draining in-flight requests), then closes Vert.x. */
    public Future<Void> close() {
      return vertx.close();
    }
  }

  private ServiceLauncher() {}

  /**
   * Reads the configuration first (so a bad value fails before anything starts), then deploys.
   * On failure the service's Vert.x instance is closed before the returned future fails.
   */
  public static CompletableFuture<RunningService> start(String name, EnvConfig env, ServiceFactory factory) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceVerticle verticle = factory.create(env, metrics);
    // Vert.x keeps one metrics backend per registry name in the JVM: without a name of its own,
    // each service started in a JVM where another runs (the local mesh) would report its HTTP
    // requests into the first one's registry, and its own /metrics would show none of them.
    String registryName = name + "@" + Integer.toHexString(System.identityHashCode(metrics));
    VertxBuilder builder = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true).setJvmMetricsEnabled(true).setRegistryName(registryName)))
        .withMetrics(new MicrometerMetricsFactory(metrics));
    if (verticle.edge() != null) {
      builder.withTransport(new EdgeTransport(verticle.edge()));
    }
    Vertx vertx = builder.build();
    CompletableFuture<RunningService> started = new CompletableFuture<>();
    vertx.deployVerticle(verticle).onComplete(deployed -> {
      if (deployed.succeeded()) {
        started.complete(new RunningService(name, vertx, verticle));
        return;
      }
      // Close from outside Vert.x: a callback bound to the failed deployment's own event loop
      // would never run once that loop is shut down.
      CompletableFuture.runAsync(() -> vertx.close().onComplete(closed -> started.completeExceptionally(deployed.cause())));
    });
    return started;
  }

  /**
   * The exit status of a service that could not listen on its port because another program holds
   * it: whoever runs the replica may choose another port and start it again.
   */
  public static final int EXIT_PORT_IN_USE = 3;

  /** The body of every service's {@code main}: logging as {@link LogSettings} reads it, exit 2 on bad configuration, {@value #EXIT_PORT_IN_USE} when its port is taken, 1 if it cannot start otherwise. */
  public static void runMain(String name, ServiceFactory factory) {
    RunningService running;
    try {
      EnvConfig env = EnvConfig.fromSystem();
      LogSettings.from(env.variables()).apply(Map.of(org.slf4j.Logger.ROOT_LOGGER_NAME, ch.qos.logback.classic.Level.INFO));
      running = start(name, env, factory).get();
    } catch (ConfigException | LogSettings.Refused e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
      return;
    } catch (ExecutionException e) {
      System.err.println(name + ": cannot start: " + e.getCause().getMessage());
      System.exit(e.getCause() instanceof PortInUseException ? EXIT_PORT_IN_USE : 1);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(running), name + "-shutdown"));
  }

  /** Stops a service from a shutdown hook, waiting for the drain to finish. */
  public static void stopQuietly(RunningService running) {
    try {
      running.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{} did not stop cleanly: {}", running.name(), e.toString());
    }
  }
}
