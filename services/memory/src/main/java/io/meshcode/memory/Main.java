package io.meshcode.memory;

import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceSettings;

/** Runs the memory service as its own process; configuration comes from the environment (docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8082;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("memory", (env, metrics) ->
        new MemoryVerticle(ServiceSettings.from(env, "memory", DEFAULT_PORT), metrics));
  }
}
