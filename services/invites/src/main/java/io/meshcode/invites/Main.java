package io.meshcode.invites;

import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceSettings;

/** Runs the invites service as its own process; configuration comes from the environment (docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8084;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("invites", (env, metrics) ->
        new InvitesVerticle(ServiceSettings.from(env, "invites", DEFAULT_PORT), metrics));
  }
}
