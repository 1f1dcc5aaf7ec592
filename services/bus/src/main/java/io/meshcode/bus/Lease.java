package io.meshcode.bus;

import java.time.Instant;
import java.util.UUID;

/** A session's lease as a heartbeat renewed it, with the agent's status right after. */
record Lease(UUID sessionId, Instant expiresAt, String status) {}
