package io.meshcode.bus;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceSettings;
import java.time.Duration;

/**
 * The bus service's settings: the common ones plus how long a session's lease lasts without a
 * heartbeat, how long without activity makes an agent idle, and how often the sweeper looks for
 * statuses that changed with time alone. Every replica must run with the same values.
 */
public record BusSettings(ServiceSettings service, Duration lease, Duration idleAfter, Duration sweepInterval) {

  public static final int DEFAULT_LEASE_SECONDS = 30;
  public static final int DEFAULT_IDLE_SECONDS = 300;
  public static final int DEFAULT_SWEEP_MILLIS = 2000;

  public static BusSettings from(EnvConfig env, int defaultPort) {
    return new BusSettings(
        ServiceSettings.from(env, "bus", defaultPort),
        Duration.ofSeconds(env.integer("MESHCODE_SESSION_LEASE_SECONDS", DEFAULT_LEASE_SECONDS, 1, 3600)),
        Duration.ofSeconds(env.integer("MESHCODE_IDLE_SECONDS", DEFAULT_IDLE_SECONDS, 1, 86_400)),
        Duration.ofMillis(env.integer("MESHCODE_PRESENCE_SWEEP_MILLIS", DEFAULT_SWEEP_MILLIS, 50, 60_000)));
  }

  int leaseSeconds() {
    return (int) lease.toSeconds();
  }

  int idleSeconds() {
    return (int) idleAfter.toSeconds();
  }
}
