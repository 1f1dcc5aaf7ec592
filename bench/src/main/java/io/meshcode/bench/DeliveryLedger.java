package io.meshcode.bench;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the team-sized load sent and what its agents were handed, and from that the run's verdict:
 * send → wake latency per recipient, how long sends took to be answered, messages lost (accepted
 * but never handed to one of their recipients) and duplicates (an id handed to an agent again
 * after that agent acknowledged it). Every method is called from the HTTP client's callbacks on
 * several event loops, so all of them hold the ledger's lock; they are quick.
 */
final class DeliveryLedger {

  /** A message the ledger still follows: sent, answered or not, with recipients not handed it yet. */
  private static final class Sent {
    final long sentAt;
    final Set<String> waitingFor;
    /** Null until the send is answered; then whether it was accepted (201). */
    Boolean accepted;

    Sent(long sentAt, Set<String> waitingFor) {
      this.sentAt = sentAt;
      this.waitingFor = waitingFor;
    }
  }

  /** The verdict on a run, once the agents have drained. */
  record Verdict(long sent, long accepted, long failed, long unanswered, long lost, long lostDeliveries, long duplicates,
      long repeatsBeforeAck, long unexpected, long failedButDelivered) {

    JsonObject json() {
      return new JsonObject().put("sent", sent).put("accepted", accepted).put("failed", failed).put("unanswered", unanswered)
          .put("lost_messages", lost).put("lost_deliveries", lostDeliveries).put("duplicates", duplicates)
          .put("repeats_before_ack", repeatsBeforeAck).put("unexpected", unexpected).put("failed_but_delivered", failedButDelivered);
    }
  }

  private final Map<UUID, Sent> following = new HashMap<>();
  /** By agent: each id handed to it, mapped to whether the agent has acknowledged it since. */
  private final Map<String, Map<UUID, Boolean>> handed = new HashMap<>();
  private final Latencies wake = new Latencies();
  private final Latencies answered = new Latencies();
  /** Sends that start earlier (a warm-up's) are followed but not timed. */
  private long measureFrom = Long.MIN_VALUE;
  private long sent;
  private long deliveries;
  private long unanswered;
  /** Deliveries of accepted sends not handed over yet. */
  private long awaited;
  private long accepted;
  private long failed;
  private long duplicates;
  private long repeatsBeforeAck;
  private long unexpected;
  private long failedButDelivered;

  /** Times only sends that leave from {@code nanos} on; earlier ones still count for loss and duplicates. */
  synchronized void measureFrom(long nanos) {
    measureFrom = nanos;
  }

  /** A send about to leave at {@code nanos}, for these recipients. */
  synchronized void sending(UUID id, Set<String> recipients, long nanos) {
    following.put(id, new Sent(nanos, new HashSet<>(recipients)));
    sent++;
    unanswered++;
  }

  /** The send's answer arrived at {@code nanos}: accepted (201) or not (any other answer, or none). */
  synchronized void answered(UUID id, boolean wasAccepted, long nanos) {
    Sent message = following.get(id);
    if (message == null || message.accepted != null) {
      return;
    }
    message.accepted = wasAccepted;
    unanswered--;
    if (wasAccepted) {
      accepted++;
      awaited += message.waitingFor.size();
      if (message.sentAt >= measureFrom) {
        answered.add(nanos - message.sentAt);
      }
    } else {
      failed++;
    }
    forgetIfDone(id, message);
  }

  /** A wait handed message {@code id} to {@code agent} at {@code nanos}. */
  synchronized void handed(String agent, UUID id, long nanos) {
    Boolean acked = handed.computeIfAbsent(agent, a -> new HashMap<>()).putIfAbsent(id, false);
    if (acked != null) {
      if (acked) {
        duplicates++;
      } else {
        repeatsBeforeAck++;
      }
      return;
    }
    Sent message = following.get(id);
    if (message == null || !message.waitingFor.remove(agent)) {
      unexpected++;
      return;
    }
    deliveries++;
    if (Boolean.TRUE.equals(message.accepted)) {
      awaited--;
    }
    if (message.sentAt >= measureFrom) {
      wake.add(nanos - message.sentAt);
    }
    if (Boolean.FALSE.equals(message.accepted)) {
      failedButDelivered++;
    }
    forgetIfDone(id, message);
  }

  /** The agent acknowledged these ids (its ack answered 200). */
  synchronized void acked(String agent, Iterable<UUID> ids) {
    Map<UUID, Boolean> ofAgent = handed.computeIfAbsent(agent, a -> new HashMap<>());
    ids.forEach(id -> ofAgent.put(id, true));
  }

  /** How many answers and first hand-overs there have been: while it grows, a drain is making progress. */
  synchronized long progress() {
    return accepted + failed + deliveries;
  }

  /** Sends not answered yet. */
  synchronized long unanswered() {
    return unanswered;
  }

  /** Deliveries of accepted sends not handed over yet. */
  synchronized long awaited() {
    return awaited;
  }

  synchronized Verdict verdict() {
    long lost = 0;
    long lostDeliveries = 0;
    for (Sent message : following.values()) {
      if (Boolean.TRUE.equals(message.accepted) && !message.waitingFor.isEmpty()) {
        lost++;
        lostDeliveries += message.waitingFor.size();
      }
    }
    return new Verdict(sent, accepted, failed, unanswered, lost, lostDeliveries, duplicates, repeatsBeforeAck, unexpected,
        failedButDelivered);
  }

  /** Send → wake, per recipient: from just before the send left to the wait answer that carried it. */
  Latencies wake() {
    return wake;
  }

  /** Send → its 201 answer. */
  Latencies answered() {
    return answered;
  }

  /**
   * Followed until answered and handed to every recipient: a failed send (rare) is kept, so that
   * its delivery, if it was stored after all, counts as that and not as unexpected.
   */
  private void forgetIfDone(UUID id, Sent message) {
    if (message.accepted != null && message.waitingFor.isEmpty()) {
      following.remove(id);
    }
  }
}
