package io.meshcode.bus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a reader asks of a meshwork's replay log: entries after seq {@code after}, oldest first, or,
 * when {@code before} is given, entries before it, newest first (the chat history, paged back as
 * its reader scrolls); at most {@code limit}; about or to {@code agent} if given; of one of
 * {@code types} if given; with {@code since <= time < until} for the bounds given.
 * {@code visibleTo} is a guest's own agent, which sees only what it sent, what is about it and
 * what was sent to it; null for owners and spectators, who see everything.
 */
record LogQuery(UUID meshwork, String agent, String visibleTo, Instant since, Instant until, long after, Long before,
                List<String> types, int limit) {

  boolean backward() {
    return before != null;
  }

  /**
   * One page. Forward: {@code next} is the seq to ask after for the next one, null when no more
   * entries match yet. Backward: the seq to ask before for the next older one (the smallest seq
   * returned), null when no older entry matches.
   */
  record Page(List<LogEntry> entries, Long next) {}
}
