package io.meshcode.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained durable sends: {@code senders} closed-loop clients send as fast as the mesh answers
 * to 10 agents that loop in wait + ack (with {@code carryAck}, each wait carrying the ack of the
 * batch before it). A send counts once answered 201 (committed). Afterwards
 * the waiters drain, and every accepted message must have reached its agent. With {@code sessions}
 * every agent has a session, as under the MCP server.
 */
final class Throughput {

  static final int AGENTS = 10;

  record Result(double sendsPerSecond, long accepted, long errors, long received, double drainSeconds) {}

  private Throughput() {}

  static Result measure(Api api, int senders, int seconds, int warmupSeconds, boolean sessions, boolean carryAck) throws Exception {
    String meshwork = "tp-" + Long.toString(System.nanoTime(), 36);
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      agents.add("r" + i);
    }
    agents.add("s");
    api.meshwork(meshwork, agents);
    Map<String, AgentWindow> windows = new HashMap<>();
    if (sessions) {
      agents.forEach(agent -> windows.put(agent, api.openSession(meshwork, agent)));
    }
    AtomicBoolean waiting = new AtomicBoolean(true);
    AtomicLong received = new AtomicLong();
    for (int i = 0; i < AGENTS; i++) {
      waitAndAck(api, windows.get("r" + i), meshwork, "r" + i, null, null, carryAck, received, waiting);
    }
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong accepted = new AtomicLong();
    AtomicLong measured = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    for (int i = 0; i < senders; i++) {
      send(api, windows.get("s"), meshwork, i, sending, accepted, measured, errors, measureFrom);
    }
    Thread.sleep((warmupSeconds + seconds) * 1000L);
    sending.set(false);
    double sendsPerSecond = measured.get() / (double) seconds;
    Thread.sleep(500);
    long drainStart = System.nanoTime();
    while (received.get() < accepted.get() && System.nanoTime() - drainStart < 120_000_000_000L) {
      Thread.sleep(50);
    }
    double drain = (System.nanoTime() - drainStart) / 1e9;
    waiting.set(false);
    windows.values().forEach(AgentWindow::close);
    return new Result(sendsPerSecond, accepted.get(), errors.get(), received.get(), drain);
  }

  private static void send(Api api, AgentWindow window, String meshwork, long n, AtomicBoolean sending, AtomicLong accepted,
      AtomicLong measured, AtomicLong errors, long measureFrom) {
    if (!sending.get()) {
      return;
    }
    JsonObject body = new JsonObject().put("to", "r" + (n % AGENTS)).put("text", "load " + n);
    api.call(HttpMethod.POST, Api.agentPath(meshwork, "s") + "/messages", body, Api.headersOf(window)).onComplete(r -> {
      if (r.succeeded() && r.result().statusCode() == 201) {
        accepted.incrementAndGet();
        if (System.nanoTime() >= measureFrom && sending.get()) {
          measured.incrementAndGet();
        }
      } else {
        errors.incrementAndGet();
      }
      send(api, window, meshwork, n + 1, sending, accepted, measured, errors, measureFrom);
    });
  }

  /** One turn of an agent's loop: a wait after {@code cursor}, carrying {@code toAck} (null for none). */
  private static void waitAndAck(Api api, AgentWindow window, String meshwork, String agent, String cursor, String toAck,
      boolean carryAck, AtomicLong received, AtomicBoolean waiting) {
    if (!waiting.get()) {
      return;
    }
    String query = "?timeout=5&limit=500" + (cursor == null ? "" : "&after=" + cursor) + (toAck == null ? "" : "&ack=" + toAck);
    api.call(HttpMethod.GET, Api.agentPath(meshwork, agent) + "/wait" + query, null, Api.headersOf(window)).onComplete(r -> {
      if (r.failed() || r.result().statusCode() != 200) {
        waitAndAck(api, window, meshwork, agent, cursor, toAck, carryAck, received, waiting);
        return;
      }
      JsonObject batch = r.result().bodyAsJsonObject();
      int count = batch.getJsonArray("messages").size();
      String next = batch.getString("cursor");
      if (count == 0) {
        waitAndAck(api, window, meshwork, agent, next, null, carryAck, received, waiting);
        return;
      }
      received.addAndGet(count);
      if (carryAck) {
        waitAndAck(api, window, meshwork, agent, next, next, true, received, waiting);
        return;
      }
      api.call(HttpMethod.POST, Api.agentPath(meshwork, agent) + "/ack", new JsonObject().put("cursor", next), Api.headersOf(window))
          .onComplete(ack -> waitAndAck(api, window, meshwork, agent, next, null, false, received, waiting));
    });
  }

}
