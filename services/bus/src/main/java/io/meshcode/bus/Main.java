package io.meshcode.bus;

import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceSettings;

/** Runs the bus service as its own process; configuration comes from the environment (docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8081;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("bus", (env, metrics) ->
        new BusVerticle(ServiceSettings.from(env, "bus", DEFAULT_PORT), metrics));
  }
}
