package io.meshcode.bus;

import java.time.Instant;
import java.util.UUID;

/** A session just opened: its lease runs to {@code expiresAt}; {@code tookOver} says it ended another live one. */
record OpenedSession(UUID id, String agent, Instant expiresAt, boolean tookOver) {}
