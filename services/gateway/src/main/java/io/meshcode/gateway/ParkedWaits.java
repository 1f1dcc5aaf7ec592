package io.meshcode.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The waits parked on this gateway replica, by inbox. A wait joins before its first read of the
 * inbox and leaves when it answers, so a message accepted at any moment in between finds it here
 * and wakes it. Nothing here is shared between replicas: each one wakes its own waits, from the
 * sends it forwards and from every message on {@code mesh.messages}.
 */
final class ParkedWaits {

  /**
   * How often the waits whose time is up are answered: one sweep per replica instead of a timer
   * per wait (a timer cost a parked wait about 200 bytes of heap, docs/PERFORMANCE.md). A wait
   * ends at most this much after the time it asked for.
   */
  static final long SWEEP_MILLIS = 200;

  private final Map<String, Set<ParkedWait>> byInbox = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  void join(ParkedWait wait) {
    byInbox.compute(wait.inbox(), (key, waits) -> {
      Set<ParkedWait> set = waits != null ? waits : ConcurrentHashMap.newKeySet();
      if (set.add(wait)) {
        count.incrementAndGet();
      }
      return set;
    });
  }

  void leave(ParkedWait wait) {
    byInbox.computeIfPresent(wait.inbox(), (key, waits) -> {
      if (waits.remove(wait)) {
        count.decrementAndGet();
      }
      return waits.isEmpty() ? null : waits;
    });
  }

  /**
   * Something arrived in the inbox of {@code agent} of meshwork {@code meshworkId}, at inbox
   * {@code position} ({@link ParkedWait#ANYWHERE} if not known): every wait on it whose cursor has
   * not passed that position reads again.
   */
  void wake(String meshworkId, String agent, long position) {
    Set<ParkedWait> waits = byInbox.get(ParkedWait.inbox(meshworkId, agent));
    if (waits != null) {
      waits.forEach(wait -> wait.wake(position));
    }
  }

  /**
   * A record of {@code mesh.messages}: every wait on one of its recipients' inboxes reads again,
   * unless it has passed that recipient's position. Through the gateway that forwarded the send,
   * the waits woke at its answer already and are mostly past it by now.
   */
  void wakeRecipients(JsonObject sent) {
    wake(sent.getJsonObject("payload", new JsonObject()).getJsonArray("recipients", new JsonArray()));
  }

  /**
   * Each of {@code recipients} ({@code {meshwork_id, agent}}, with its inbox position as
   * {@code seq} where known) has something new: its waits read again, as {@link #wake} says.
   */
  void wake(JsonArray recipients) {
    for (Object item : recipients) {
      JsonObject recipient = (JsonObject) item;
      Long seq = recipient.getLong("seq");
      wake(recipient.getString("meshwork_id"), recipient.getString("agent"), seq == null ? ParkedWait.ANYWHERE : seq);
    }
  }

  /** The replica is stopping: every parked wait answers now with what it has (its client waits again, elsewhere). */
  void releaseAll() {
    byInbox.values().forEach(waits -> waits.forEach(ParkedWait::release));
  }

  int size() {
    return count.get();
  }

  /**
   * Starts the sweep that answers waits whose time is up, every {@link #SWEEP_MILLIS}, on the
   * caller's context: it stops when that context's verticle is undeployed.
   */
  void startSweeping(Vertx vertx) {
    vertx.setPeriodic(SWEEP_MILLIS, id -> expire(System.nanoTime()));
  }

  /** Every wait whose time is up at {@code nowNanos} answers, unless a read of it is out. */
  void expire(long nowNanos) {
    byInbox.values().forEach(waits -> waits.forEach(wait -> wait.expireIfDue(nowNanos)));
  }
}
