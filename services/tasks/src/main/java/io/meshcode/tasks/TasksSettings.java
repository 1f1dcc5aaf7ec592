package io.meshcode.tasks;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceSettings;
import java.time.Duration;

/**
 * The tasks service's settings: the common ones plus how often the sweeper looks for reservations
 * that ran out. Every replica should use the same value.
 */
public record TasksSettings(ServiceSettings service, Duration sweepInterval) {

  public static final int DEFAULT_SWEEP_MILLIS = 2000;

  public static TasksSettings from(EnvConfig env, int defaultPort) {
    return new TasksSettings(
        ServiceSettings.from(env, "tasks", defaultPort),
        Duration.ofMillis(env.integer("MESHCODE_RESERVATION_SWEEP_MILLIS", DEFAULT_SWEEP_MILLIS, 50, 60_000)));
  }

  /** The common settings with the default sweep interval. */
  public static TasksSettings withDefaults(ServiceSettings service) {
    return new TasksSettings(service, Duration.ofMillis(DEFAULT_SWEEP_MILLIS));
  }
}
