package io.meshcode.invites;

import io.meshcode.core.service.ServiceLauncher;

/** Runs the invites service as its own process; configuration comes from the environment (docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8084;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("invites", (env, metrics) ->
        new InvitesVerticle(InvitesSettings.from(env, DEFAULT_PORT), metrics));
  }
}
