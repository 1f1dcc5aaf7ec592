package io.meshcode.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated agent of the team-sized load, doing over HTTP what the MCP server does for an
 * agent in its editor: it holds a session ({@link AgentWindow}) and names it on each call; it
 * loops in wait from its cursor ({@code meshcode_wait}) and acknowledges each batch up to its
 * cursor ({@code meshcode_done}); and every {@code sendEvery} (jittered ±50 %) it sends a direct
 * message to a teammate, a reply in the thread of the last message it was handed, or a broadcast
 * to its meshwork ({@code meshcode_send}).
 */
final class TeamAgent {

  /** What every agent of a run shares: its switches, its ledger, its error counts and its sends by kind. */
  record Run(Vertx vertx, Api api, DeliveryLedger ledger, ErrorKinds errors, AtomicBoolean sending, AtomicBoolean waiting,
      LongAdder direct, LongAdder replies, LongAdder broadcasts, Mix mix, int waitSeconds) {}

  /** The share of each kind of send, in percent, adding up to 100 ({@code --mix=70/20/10}). */
  record Mix(int direct, int replies, int broadcasts) {

    static Mix parse(String text) {
      String[] parts = text.split("/");
      if (parts.length != 3) {
        throw new IllegalArgumentException("--mix must be direct/replies/broadcasts in percent, as 70/20/10, not '" + text + "'");
      }
      Mix mix = new Mix(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
      if (mix.direct < 0 || mix.replies < 0 || mix.broadcasts < 0 || mix.direct + mix.replies + mix.broadcasts != 100) {
        throw new IllegalArgumentException("--mix must be three shares that add up to 100, not '" + text + "'");
      }
      return mix;
    }
  }

  private static final long PAUSE_MS = 500;
  /** The MCP server's backoff between failed waits: 500 ms, doubling, at most 5 s. */
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Run run;
  private final String meshwork;
  private final String name;
  private final List<String> teammates;
  private final String path;
  private final Random random;
  private final long sendEveryMs;
  private AgentWindow window;
  private String cursor;
  private int failedWaits;
  /** The last message handed over, and who sent it: what a reply answers. */
  private String lastId;
  private String lastFrom;
  private long sent;

  TeamAgent(Run run, String meshwork, String name, List<String> everyone, long sendEveryMs, long seed) {
    this.run = run;
    this.meshwork = meshwork;
    this.name = name;
    this.teammates = new ArrayList<>(everyone);
    this.teammates.remove(name);
    this.path = Api.agentPath(meshwork, name);
    this.random = new Random(seed);
    this.sendEveryMs = sendEveryMs;
  }

  String meshwork() {
    return meshwork;
  }

  String name() {
    return name;
  }

  /** Opens the agent's session, as its MCP server would on start; every call of the agent's then names it. */
  void openSession() {
    window = AgentWindow.open(run.api(), run.vertx(), meshwork, name, renewal -> run.errors().check("heartbeat", renewal, 200));
  }

  /** Stops renewing the session. */
  void closeSession() {
    if (window != null) {
      window.close();
    }
  }

  /** Starts the wait loop. */
  void startWaiting() {
    waitOnce();
  }

  /** Starts sending, the first send at a random moment within one period so the agents do not send in step. */
  void startSending() {
    run.vertx().setTimer(1 + (long) (random.nextDouble() * sendEveryMs), id -> sendAndSchedule());
  }

  private void waitOnce() {
    if (!run.waiting().get()) {
      return;
    }
    String query = "?timeout=" + run.waitSeconds() + (cursor == null ? "" : "&after=" + cursor);
    long asked = System.nanoTime();
    run.api().call(HttpMethod.GET, path + "/wait" + query, null, headers()).onComplete(answer -> {
      long now = System.nanoTime();
      if (!run.waiting().get()) {
        return;
      }
      if (!run.errors().check("wait", answer, 200)) {
        sessionEnded(answer);
        // As the MCP server does: wait again from the same cursor, backing off.
        failedWaits++;
        run.vertx().setTimer(backoffMs(failedWaits), id -> waitOnce());
        return;
      }
      failedWaits = 0;
      JsonObject batch = answer.result().bodyAsJsonObject();
      JsonArray messages = batch.getJsonArray("messages");
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        JsonObject message = messages.getJsonObject(i);
        UUID id = UUID.fromString(message.getString("id"));
        ids.add(id);
        run.ledger().handed(name, id, now);
        synchronized (this) {
          lastId = id.toString();
          lastFrom = message.getString("from");
        }
      }
      String next = batch.getString("cursor", cursor);
      cursor = next;
      if (ids.isEmpty()) {
        if (!batch.getBoolean("more", false) && now - asked < 1_000_000_000L) {
          run.vertx().setTimer(PAUSE_MS, id -> waitOnce());
        } else {
          waitOnce();
        }
        return;
      }
      run.api().call(HttpMethod.POST, path + "/ack", new JsonObject().put("cursor", next), headers()).onComplete(ack -> {
        if (run.errors().check("ack", ack, 200)) {
          run.ledger().acked(name, ids);
        } else {
          sessionEnded(ack);
        }
        waitOnce();
      });
    });
  }

  /** A call refused because the session ended opens a new one (the MCP server also retries the call; this agent's next call goes in it). */
  private void sessionEnded(AsyncResult<HttpResponse<Buffer>> answer) {
    if (window != null && answer.succeeded()) {
      window.ended(answer.result());
    }
  }

  /** The pause before the next wait after {@code failures} failed waits in a row. */
  static long backoffMs(int failures) {
    return Math.min(MAX_BACKOFF_MS, PAUSE_MS << Math.min(failures - 1, 10));
  }

  private MultiMap headers() {
    return window == null ? MultiMap.caseInsensitiveMultiMap() : window.headers();
  }

  private void sendAndSchedule() {
    if (!run.sending().get()) {
      return;
    }
    send();
    long next = Math.max(1, (long) (sendEveryMs * (0.5 + random.nextDouble())));
    run.vertx().setTimer(next, id -> sendAndSchedule());
  }

  private void send() {
    UUID id = UUID.randomUUID();
    JsonObject body = new JsonObject().put("id", id.toString()).put("text", name + " says " + (++sent));
    Set<String> recipients = new HashSet<>();
    int roll = random.nextInt(100);
    String replyTo;
    String replyToSender;
    synchronized (this) {
      replyTo = lastId;
      replyToSender = lastFrom;
    }
    if (roll < run.mix().broadcasts()) {
      body.put("to", "*");
      recipients.addAll(teammates);
      run.broadcasts().increment();
    } else if (roll < run.mix().broadcasts() + run.mix().replies() && replyTo != null && teammates.contains(replyToSender)) {
      body.put("to", replyToSender).put("kind", "reply").put("reply_to", replyTo);
      recipients.add(replyToSender);
      run.replies().increment();
    } else {
      // A reply with nothing to answer yet goes out as a direct message.
      String to = teammates.get(random.nextInt(teammates.size()));
      body.put("to", to);
      recipients.add(to);
      run.direct().increment();
    }
    run.ledger().sending(id, recipients, System.nanoTime());
    run.api().call(HttpMethod.POST, path + "/messages", body, headers()).onComplete(answer -> {
      boolean accepted = run.errors().check("send", answer, 201);
      run.ledger().answered(id, accepted, System.nanoTime());
      if (!accepted) {
        sessionEnded(answer);
      }
    });
  }
}
