package io.meshcode.gateway;

import io.meshcode.core.service.ServiceLauncher;

/** Runs the gateway as its own process; configuration comes from the environment (docs/CONFIG.md). */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("gateway", (env, metrics) -> new GatewayVerticle(GatewaySettings.from(env), metrics));
  }
}
