package io.meshcode.bus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a reader asks of a meshwork's replay log: entries after seq {@code after}, at most
 * {@code limit}; about or to {@code agent} if given; with {@code since <= time < until} for the
 * bounds given. {@code visibleTo} is a guest's own agent, which sees only what it sent, what is
 * about it and what was sent to it; null for owners and spectators, who see everything.
 */
record LogQuery(UUID meshwork, String agent, String visibleTo, Instant since, Instant until, long after, int limit) {

  /** One page: {@code nextAfter} is the seq to ask after for the next one, null when no more entries match yet. */
  record Page(List<LogEntry> entries, Long nextAfter) {}
}
