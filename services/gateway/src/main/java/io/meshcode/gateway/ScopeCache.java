package io.meshcode.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the invites service answered about a caller's reach: a meshwork as the caller sees it
 * (with its agents), or the recipients a sending agent's address list resolves to. Agent routes
 * and sends need one of these on every request; asking the invites service each time was a third
 * of a send's work.
 *
 * <p>Keys are never cached: every request still presents a key that is checked afresh, so a
 * revoked key fails at once whatever is here. What is cached is the shape of a meshwork, and only
 * what the invites service said yes to: a name it did not know is asked again every time, so a
 * new agent or meshwork is reachable at once. Everything is dropped when anything about
 * membership changes — on this replica as soon as it forwards a change to the invites service,
 * on the others when the change reaches them on {@code mesh.events} or {@code mesh.auth} — and an
 * entry lives {@code ttlMillis} at most in any case, which bounds how long a replica that missed
 * an event (its broker away) can act on an old shape.
 */
final class ScopeCache {

  /** The events that change who or what a meshwork holds (from the invites service). */
  static final Set<String> MEMBERSHIP_CHANGES = Set.of(
      "meshwork.created", "meshwork.deleted", "meshwork.linked", "meshwork.unlinked",
      "agent.added", "agent.removed", "member.joined", "member.revoked", "spectator_link.revoked");

  /** Beyond this many entries the cache starts again from empty: a bound, never reached by a normal mesh. */
  static final int MAX_ENTRIES = 50_000;

  private record Entry(JsonObject value, long expiresAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final long ttlMillis;
  private final LongSupplier clockMillis;

  /** {@code ttlMillis} 0 turns the cache off: every look-up goes to the invites service. */
  ScopeCache(long ttlMillis) {
    this(ttlMillis, System::currentTimeMillis);
  }

  /** For tests: {@code clockMillis} stands in for {@link System#currentTimeMillis()}, so expiry needs no waiting. */
  ScopeCache(long ttlMillis, LongSupplier clockMillis) {
    this.ttlMillis = ttlMillis;
    this.clockMillis = clockMillis;
  }

  /** Take this before asking the invites service, and hand it to {@link #put}. */
  long generation() {
    return generation.get();
  }

  /** The cached answer, or null. The answer is shared: read it, never change it. */
  JsonObject get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (entry.expiresAt() < clockMillis.getAsLong()) {
      entries.remove(key, entry);
      return null;
    }
    return entry.value();
  }

  /** Keeps an answer unless membership changed since {@code generationBefore} (the answer may predate the change). */
  void put(String key, long generationBefore, JsonObject value) {
    if (ttlMillis <= 0 || generation.get() != generationBefore) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry(value, clockMillis.getAsLong() + ttlMillis));
  }

  void invalidateAll() {
    generation.incrementAndGet();
    entries.clear();
  }

  /** A record of {@code mesh.events}: drops everything when it changes membership. */
  void onEvent(KafkaConsumerRecord<String, String> record) {
    String type = record.value() == null ? null : new JsonObject(record.value()).getString("type");
    if (type != null && MEMBERSHIP_CHANGES.contains(type)) {
      invalidateAll();
    }
  }

  /** A record of {@code mesh.auth}: every one is a revocation. */
  void onRevocation(KafkaConsumerRecord<String, String> record) {
    invalidateAll();
  }

  static String meshworkKey(Caller caller, String meshwork) {
    return "mw\u0000" + caller.kind() + "\u0000" + caller.id() + "\u0000" + meshwork;
  }

  static String recipientsKey(Caller caller, String meshwork, String agent, String to) {
    return "to\u0000" + caller.kind() + "\u0000" + caller.id() + "\u0000" + meshwork + "\u0000" + agent + "\u0000" + to;
  }

  int size() {
    return entries.size();
  }
}
