package io.meshcode.bus;

import io.meshcode.core.service.ServiceLauncher;

/** Runs the bus service as its own process; configuration comes from the environment (README.md, docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8081;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("bus", (env, metrics) -> new BusVerticle(BusSettings.from(env, DEFAULT_PORT), metrics));
  }
}
