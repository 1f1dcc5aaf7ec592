package io.meshcode.core.http.edge;

import io.meshcode.core.config.EnvConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How long a client may take over each part of a request, and how many connections it may hold
 * (docs/CONFIG.md). None of the read timeouts runs while the server owes an answer, so a long
 * poll or a stream is never cut by them: they bound only a client that is slow to send.
 *
 * @param headerTimeout from a connection's opening, or the first byte of a request, to the end of its head
 * @param bodyTimeout from the end of a request's head to the end of its body
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param maxConnectionsPerAddress open connections from one TCP peer address (a proxy's, behind one); more are closed at once
 * @param maxConnections open connections in all; more are closed at once
 */
public record EdgeLimits(
    Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerAddress, int maxConnections) {

  public static EdgeLimits from(EnvConfig env) {
    int descriptors = fileDescriptorLimit();
    return new EdgeLimits(
        env.seconds("MESHCODE_HEADER_TIMEOUT_SECONDS", Duration.ofSeconds(10), 300),
        env.seconds("MESHCODE_BODY_TIMEOUT_SECONDS", Duration.ofSeconds(30), 600),
        env.seconds("MESHCODE_IDLE_TIMEOUT_SECONDS", Duration.ofSeconds(75), 3600),
        env.integer("MESHCODE_MAX_CONNECTIONS_PER_ADDRESS", 1024, 1, 1_000_000),
        env.integer("MESHCODE_MAX_CONNECTIONS", Math.max(256, descriptors / 2), 1, 10_000_000));
  }

  /** The process's limit on open files, or a conservative guess where the platform does not say. */
  static int fileDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return (int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount());
    }
    return 8192;
  }
}
