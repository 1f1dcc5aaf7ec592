package io.meshcode.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Send → wake latency between two agents through the gateway: agent {@code b} loops in
 * {@code wait} (as the MCP server does, from its cursor); agent {@code a} sends at a steady rate.
 * With {@code sessions} both agents have a session, as under the MCP server, named on each of
 * their calls, so the bus checks it on each and each wait that parks or hands over also changes
 * {@code b}'s status. With {@code carryAck} each wait carries
 * the acknowledgement of the batch before it ({@code ack=}), one request per turn; else each batch
 * is acknowledged by its own request as the MCP server's {@code meshcode_done} does, sent as the
 * next wait leaves.
 * A message's latency runs from just before its send request leaves to the moment the wait
 * answer that carries it arrives, so it includes the send, the wake and the wait's answer.
 */
final class WakeLatency {

  /** {@code sent}: every message sent, the warm-up's too (what the run's CPU and transactions are divided by). */
  record Result(Latencies wake, Latencies accepted, int errors, long sent) {}

  private WakeLatency() {}

  static Result measure(Api api, int rate, int seconds, int warmupSeconds, boolean sessions, boolean carryAck) throws Exception {
    String meshwork = "lat-" + Long.toString(System.nanoTime(), 36);
    api.meshwork(meshwork, List.of("a", "b"));
    AgentWindow windowA = sessions ? api.openSession(meshwork, "a") : null;
    AgentWindow windowB = sessions ? api.openSession(meshwork, "b") : null;
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Latencies wake = new Latencies();
    Latencies accepted = new Latencies();
    AtomicInteger errors = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    waitLoop(api, windowB, meshwork, null, null, carryAck, sentAt, wake, measureFrom, running);
    Thread.sleep(500);
    String path = Api.agentPath(meshwork, "a") + "/messages";
    Pacer.run(rate, seconds + warmupSeconds, i -> {
      String id = UUID.randomUUID().toString();
      long start = System.nanoTime();
      sentAt.put(id, start);
      api.call(HttpMethod.POST, path, new JsonObject().put("id", id).put("to", "b").put("text", "ping " + i), Api.headersOf(windowA))
          .onComplete(r -> {
            if (r.succeeded() && r.result().statusCode() == 201) {
              if (start >= measureFrom) {
                accepted.add(System.nanoTime() - start);
              }
            } else {
              errors.incrementAndGet();
            }
          });
    });
    // Until every message sent has been received (or 60 s): a saturated mesh answers late, not never.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    running.set(false);
    if (sessions) {
      windowA.close();
      windowB.close();
    }
    return new Result(wake, accepted, errors.get(), (long) rate * (seconds + warmupSeconds));
  }

  /** One turn of {@code b}'s loop: a wait after {@code cursor}, carrying {@code toAck} (null for none). */
  private static void waitLoop(Api api, AgentWindow window, String meshwork, String cursor, String toAck, boolean carryAck,
      Map<String, Long> sentAt, Latencies wake, long measureFrom, AtomicBoolean running) {
    if (!running.get()) {
      return;
    }
    String query = "?timeout=30&limit=500" + (cursor == null ? "" : "&after=" + cursor) + (toAck == null ? "" : "&ack=" + toAck);
    api.call(HttpMethod.GET, Api.agentPath(meshwork, "b") + "/wait" + query, null, Api.headersOf(window)).onComplete(r -> {
      long now = System.nanoTime();
      String next = cursor;
      String unacked = toAck;
      if (r.succeeded() && r.result().statusCode() == 200) {
        JsonObject batch = r.result().bodyAsJsonObject();
        JsonArray messages = batch.getJsonArray("messages");
        for (int i = 0; i < messages.size(); i++) {
          Long start = sentAt.remove(messages.getJsonObject(i).getString("id"));
          if (start != null && start >= measureFrom) {
            wake.add(now - start);
          }
        }
        next = batch.getString("cursor");
        unacked = null;
        if (!messages.isEmpty()) {
          if (carryAck) {
            unacked = next;
          } else {
            api.call(HttpMethod.POST, Api.agentPath(meshwork, "b") + "/ack", new JsonObject().put("cursor", next), Api.headersOf(window));
          }
        }
      }
      waitLoop(api, window, meshwork, next, unacked, carryAck, sentAt, wake, measureFrom, running);
    });
  }
}
