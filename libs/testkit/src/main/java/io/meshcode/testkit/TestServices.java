package io.meshcode.testkit;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceLauncher;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts services the way their {@code Main} does, against {@link TestInfra}, and waits until they are set up. */
public final class TestServices {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private TestServices() {}

  public static RunningService start(String name, ServiceFactory factory) {
    return start(name, factory, Map.of());
  }

  public static RunningService start(String name, ServiceFactory factory, Map<String, String> extraEnv) {
    EnvConfig env = new EnvConfig(TestInfra.get().serviceEnv(extraEnv));
    RunningService running = await(ServiceLauncher.start(name, env, factory));
    await(running.verticle().setUp());
    return running;
  }

  public static void stop(RunningService running) {
    if (running != null) {
      await(running.close());
    }
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    return await(future.toCompletionStage().toCompletableFuture());
  }

  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("timed out or failed: " + e.getMessage(), e);
    }
  }
}
