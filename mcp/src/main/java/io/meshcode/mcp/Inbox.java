package io.meshcode.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's side of the wait loop. A wait long-polls the gateway after the cursor of the last
 * batch handed to the agent, so a second wait without a done never repeats the first one's
 * messages; {@code meshcode_done} acknowledges up to that cursor. A dropped connection or a
 * gateway that went away is retried from the same cursor until the wait's time is up: the gateway
 * only marks messages delivered, never consumes them, so nothing is lost; message ids already
 * handed over are dropped, so nothing repeats. A cancelled wait takes back what its answer held.
 */
final class Inbox {

  static final int MAX_WAIT_SECONDS = 50;
  static final int DEFAULT_WAIT_SECONDS = 45;
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
  private static final int REMEMBERED_IDS = 10_000;
  private static final int REMEMBERED_SENDERS = 1_000;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** The HTTP request may take this much longer than the wait it asks for. */
  private static final Duration POLL_MARGIN = Duration.ofSeconds(15);

  private final Gateway gateway;
  private final MessageSender sender;
  private final ScheduledExecutorService timer;
  private final Duration progressInterval;
  private final Object lock = new Object();
  /** The cursor after the last batch handed to the agent. */
  private String cursor;
  private String ackedCursor;
  private final Set<String> handedOver = Collections.newSetFromMap(bounded(REMEMBERED_IDS));
  /** Sender and thread of recent messages, for a done's reply. */
  private final Map<String, JsonNode> received = bounded(REMEMBERED_SENDERS);

  Inbox(Gateway gateway, MessageSender sender, ScheduledExecutorService timer, Duration progressInterval) {
    this.gateway = gateway;
    this.sender = sender;
    this.timer = timer;
    this.progressInterval = progressInterval;
  }

  /** {@code meshcode_wait}: the next messages, or none when {@code timeoutSeconds} pass first. */
  ObjectNode await(int timeoutSeconds, ToolCall call) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    ScheduledFuture<?> progress = null;
    if (call.wantsProgress() && timeoutSeconds > 0) {
      long every = progressInterval.toMillis();
      progress = timer.scheduleAtFixedRate(() -> call.progress(
              Math.min(timeoutSeconds, (System.nanoTime() - start) / 1e9), (double) timeoutSeconds, "waiting for messages"),
          every, every, TimeUnit.MILLISECONDS);
    }
    try {
      return poll(deadline, call.cancel());
    } finally {
      if (progress != null) {
        progress.cancel(false);
      }
    }
  }

  private ObjectNode poll(long deadline, CancelSignal cancel) {
    Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
    while (true) {
      if (cancel.isCancelled()) {
        return cancelled();
      }
      long remaining = deadline - System.nanoTime();
      int seconds = (int) Math.max(0, TimeUnit.NANOSECONDS.toSeconds(remaining));
      String after;
      synchronized (lock) {
        after = cursor;
      }
      long asked = System.nanoTime();
      JsonNode batch;
      try {
        // On this thread: the wake is answered here the moment its bytes arrive (a cancellation
        // closes the connection).
        batch = gateway.call("GET", Gateway.query(gateway.agentPath("wait"), Gateway.params("timeout", seconds, "after", after)),
            null, Duration.ofSeconds(seconds).plus(POLL_MARGIN), cancel);
      } catch (RuntimeException e) {
        if (cancel.isCancelled()) {
          return cancelled();
        }
        if (e instanceof GatewayException failure && failure.transientFailure()) {
          if (System.nanoTime() + backoff.peek().toNanos() >= deadline) {
            throw new GatewayException(failure.status(), failure.code(),
                failure.getMessage() + "; no message was lost: call meshcode_wait again", null);
          }
          Duration delay = backoff.next();
          LOG.info("a wait failed ({}); waiting again from the same cursor in {} ms", failure.getMessage(), delay.toMillis());
          pause(delay, cancel);
          continue;
        }
        throw e;
      }
      backoff.reset();
      ObjectNode handed = handOver(batch, cancel);
      if (handed == null) {
        return cancelled();
      }
      boolean more = batch.path("more").asBoolean(false);
      if (!handed.path("messages").isEmpty() || System.nanoTime() >= deadline || seconds == 0) {
        return handed;
      }
      if (!more && System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(1)) {
        // Answered at once with nothing new (a gateway stopping): do not spin.
        pause(FIRST_BACKOFF, cancel);
      }
    }
  }

  /**
   * Takes a batch from the gateway: drops ids already handed over, moves the cursor, and hangs
   * the undoing of both on the call's cancellation. Null if the call was cancelled meanwhile.
   */
  private ObjectNode handOver(JsonNode batch, CancelSignal cancel) {
    List<String> fresh = new ArrayList<>();
    ObjectNode result = Json.ok();
    ArrayNode messages = result.putArray("messages");
    String previous;
    String next;
    synchronized (lock) {
      if (cancel.isCancelled()) {
        return null;
      }
      for (JsonNode message : batch.path("messages")) {
        String id = Json.text(message, "id");
        if (id != null && handedOver.add(id)) {
          fresh.add(id);
          messages.add(message);
          received.put(id, message);
        }
      }
      previous = cursor;
      next = Json.text(batch, "cursor");
      if (next != null) {
        cursor = next;
      }
      result.put("cursor", cursor);
      result.put("more", batch.path("more").asBoolean(false));
    }
    if (!fresh.isEmpty() || next != null) {
      cancel.onCancel(() -> takeBack(fresh, previous));
    }
    return result;
  }

  /** A cancelled wait's messages were never read: the next wait hands them over again. */
  private void takeBack(List<String> ids, String previousCursor) {
    synchronized (lock) {
      ids.forEach(handedOver::remove);
      if (position(previousCursor) < position(cursor)) {
        cursor = previousCursor;
      }
    }
    if (!ids.isEmpty()) {
      LOG.info("a cancelled wait had {} message(s): the next wait hands them over again", ids.size());
    }
  }

  private static long position(String cursor) {
    if (cursor == null) {
      return -1;
    }
    int dot = cursor.indexOf('.');
    try {
      return Long.parseLong(dot < 0 ? cursor : cursor.substring(0, dot));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private ObjectNode cancelled() {
    ObjectNode result = Json.ok();
    result.putArray("messages");
    synchronized (lock) {
      result.put("cursor", cursor);
    }
    result.put("more", false);
    result.put("cancelled", true);
    return result;
  }

  private static void pause(Duration duration, CancelSignal cancel) {
    CompletableFuture<Void> woken = new CompletableFuture<>();
    cancel.onCancel(() -> woken.complete(null));
    try {
      woken.get(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // the pause is over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code meshcode_done}: with {@code replyTo}, sends {@code summary} as the reply to that
   * message's sender first; then acknowledges everything the waits handed over.
   */
  ObjectNode done(String summary, String replyTo) {
    ObjectNode result = Json.ok();
    if (replyTo != null) {
      String to = senderOf(replyTo);
      JsonNode sent = sender.send(Json.object()
          .put("to", to)
          .put("kind", "reply")
          .put("text", summary)
          .put("reply_to", replyTo));
      ObjectNode reply = MessageSender.result(sent);
      reply.remove("ok");
      result.set("reply", reply);
    }
    String toAck;
    synchronized (lock) {
      toAck = cursor;
    }
    int acked = 0;
    if (toAck != null && !toAck.equals(ackedCursor)) {
      acked = gateway.post(gateway.agentPath("ack"), Json.object().put("cursor", toAck)).path("acked").asInt(0);
      synchronized (lock) {
        ackedCursor = toAck;
      }
    }
    result.put("acked", acked);
    if (toAck != null) {
      result.put("cursor", toAck);
    }
    return result;
  }

  /** Who sent message {@code id}: from the waits' memory, else from the gateway. */
  private String senderOf(String id) {
    JsonNode message;
    synchronized (lock) {
      message = received.get(id);
    }
    if (message == null) {
      try {
        message = gateway.get(gateway.meshworkPath("messages", id));
      } catch (GatewayException e) {
        if (e.status() == 404 || e.status() == 400) {
          throw ToolError.invalid("'reply_to': no message " + id + " among those you received");
        }
        throw e;
      }
    }
    String from = Json.text(message, "from");
    if (from == null) {
      throw ToolError.invalid("'reply_to': message " + id + " has no sender to reply to");
    }
    return from;
  }

  /** {@code meshcode_inbox}: the unacknowledged messages, changing nothing. */
  ObjectNode peek(Integer limit) {
    return Json.ok(gateway.get(Gateway.query(gateway.agentPath("inbox"), Gateway.params("limit", limit))));
  }

  private static <V> Map<String, V> bounded(int limit) {
    return Collections.synchronizedMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > limit;
      }
    });
  }
}
