package io.meshcode.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients of the durability test, written the way an agent's MCP server behaves: senders that
 * stream messages with ids of their own and resend an unanswered one under the same id, and
 * receivers that wait, remember every message they were handed, and acknowledge. Each keeps a
 * record of what it saw, for the checks afterwards; neither gives up on errors while the mesh is
 * partly down.
 */
final class MessageStream {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private MessageStream() {}

  /** An HTTP answer, or {@code status} -1 and the exception's text when there was none. */
  record Answer(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Answer call(int port, String method, String path, String key, JsonObject body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }

  static String agentPath(String meshwork, String agent) {
    return "/v1/meshworks/" + meshwork + "/agents/" + agent;
  }

  /** One send as its client saw it: first request, final answer, and whether it was ever answered with success. */
  static final class Send {
    final String id = UUID.randomUUID().toString();
    final String sender;
    final long n;
    final long firstRequestNanos = System.nanoTime();
    volatile long answeredNanos;
    volatile boolean accepted;
    volatile boolean resent;
    /** Sent once more under its id after it was accepted, and answered as a resend. */
    volatile boolean echoed;
    volatile int attempts;
    volatile String failure = "";

    Send(String sender, long n) {
      this.sender = sender;
      this.n = n;
    }

    @Override
    public String toString() {
      return sender + " #" + n + " " + id + (accepted ? " accepted" : " failed") + " after " + attempts + " attempt(s)"
          + (failure.isEmpty() ? "" : ", last failure: " + failure);
    }
  }

  /** Sends to {@code recipients} every {@code interval} until stopped; resends a failed send under its id a few times. */
  static final class Sender implements Runnable {

    private static final int MAX_ATTEMPTS = 5;
    /** Every this many sends, an accepted one is sent again under its id. */
    private static final int ECHO_EVERY = 10;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(300);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    final String agent;
    private final int port;
    private final String key;
    private final String meshwork;
    private final JsonArray recipients;
    private final Duration interval;
    private final List<Send> sends = Collections.synchronizedList(new ArrayList<>());
    /** Answers no resend can change (a 4xx): the test fails on any. */
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private long next = 1;
    private volatile boolean stop;

    Sender(String agent, int port, String key, String meshwork, List<String> recipients, Duration interval) {
      this.agent = agent;
      this.port = port;
      this.key = key;
      this.meshwork = meshwork;
      this.recipients = new JsonArray(new ArrayList<>(recipients));
      this.interval = interval;
    }

    @Override
    public void run() {
      while (!stop) {
        send();
        pause(interval.toMillis());
      }
    }

    void stop() {
      stop = true;
    }

    /** One send, resent under the same id while the mesh answers with an error or not at all. */
    Send send() {
      Send send = new Send(agent, next++);
      sends.add(send);
      JsonObject body = new JsonObject().put("id", send.id).put("to", recipients)
          .put("text", agent + " #" + send.n).put("data", new JsonObject().put("sender", agent).put("n", send.n));
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        send.attempts = attempt;
        Answer answer = call(port, "POST", agentPath(meshwork, agent) + "/messages", key, body, SEND_TIMEOUT);
        if (answer.status() == 200 || answer.status() == 201) {
          send.answeredNanos = System.nanoTime();
          send.resent = answer.status() == 200;
          send.accepted = true;
          if (send.n % ECHO_EVERY == 0) {
            echo(send, body);
          }
          return send;
        }
        send.failure = answer.status() + " " + abbreviate(answer.body());
        if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 429) {
          unexpected.add(send.toString());
          return send;
        }
        pause(RETRY_PAUSE.toMillis());
      }
      return send;
    }

    /**
     * Sends an accepted message once more under its id, as a client that lost the answer would: the
     * bus must answer what it stored (200), never store it again; a 201 would mean it had lost it.
     */
    private void echo(Send send, JsonObject body) {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Answer answer = call(port, "POST", agentPath(meshwork, agent) + "/messages", key, body, SEND_TIMEOUT);
        if (answer.status() == 200) {
          send.echoed = true;
          return;
        }
        if (answer.status() >= 200 && answer.status() < 500 && answer.status() != 429) {
          unexpected.add("resend of accepted " + send + " answered " + answer.status() + " " + abbreviate(answer.body()));
          return;
        }
        pause(RETRY_PAUSE.toMillis());
      }
    }

    List<Send> sends() {
      synchronized (sends) {
        return List.copyOf(sends);
      }
    }

    long acceptedCount() {
      return sends().stream().filter(s -> s.accepted).count();
    }
  }

  /** A message handed to a receiver for the first time: when, and the cursor of the batch it came in. */
  record Receipt(String id, long nanos, long batchCursorSeq) {}

  /**
   * Waits and acknowledges, keeping the cursor of the last batch. One that {@code forgetsOnFailedAck}
   * acts like an MCP server restarted after an ack it could not make: it drops its cursor and reads
   * again from what the bus has as acknowledged, so it is handed those messages again.
   */
  static final class Receiver implements Runnable {

    private static final Duration SLACK = Duration.ofSeconds(15);

    final String agent;
    final boolean forgetsOnFailedAck;
    private final int port;
    private final String key;
    private final String meshwork;
    private final List<Receipt> firstReceipts = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> seen = Collections.synchronizedSet(new HashSet<>());
    /** Answers no retry can change (a 4xx): the test fails on any. */
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    /** Batches with new messages whose cursor was not past the previous such batch's. */
    final List<String> cursorRegressions = Collections.synchronizedList(new ArrayList<>());
    volatile int duplicates;
    /** Messages handed out again after an ack that the bus took had covered them: never allowed. */
    final List<String> redeliveredAfterAck = new CopyOnWriteArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final List<String> sinceAck = Collections.synchronizedList(new ArrayList<>());
    volatile int failedWaits;
    volatile int failedAcks;
    private String cursor;
    private long lastNewCursorSeq;
    private volatile boolean stop;

    Receiver(String agent, boolean forgetsOnFailedAck, int port, String key, String meshwork) {
      this.agent = agent;
      this.forgetsOnFailedAck = forgetsOnFailedAck;
      this.port = port;
      this.key = key;
      this.meshwork = meshwork;
    }

    @Override
    public void run() {
      while (!stop) {
        if (waitOnce(5) < 0) {
          pause(200);
        }
      }
    }

    void stop() {
      stop = true;
    }

    /** One wait (and an ack if it brought anything): how many messages it brought, or -1 if it failed. */
    int waitOnce(int timeoutSeconds) {
      String query = "?timeout=" + timeoutSeconds + (cursor == null ? "" : "&after=" + cursor);
      Answer answer = call(port, "GET", agentPath(meshwork, agent) + "/wait" + query, key, null,
          Duration.ofSeconds(timeoutSeconds).plus(SLACK));
      if (answer.status() != 200) {
        failedWaits++;
        noteUnexpected("wait" + query, answer);
        return -1;
      }
      JsonObject batch = answer.json();
      JsonArray messages = batch.getJsonArray("messages");
      String batchCursor = batch.getString("cursor");
      long seq = seqOf(batchCursor);
      long now = System.nanoTime();
      boolean anyNew = false;
      for (int i = 0; i < messages.size(); i++) {
        String id = messages.getJsonObject(i).getString("id");
        if (seen.add(id)) {
          firstReceipts.add(new Receipt(id, now, seq));
          anyNew = true;
        } else {
          duplicates++;
          if (acked.contains(id)) {
            redeliveredAfterAck.add(id);
          }
        }
        sinceAck.add(id);
      }
      if (anyNew) {
        if (seq <= lastNewCursorSeq) {
          cursorRegressions.add("batch ending at " + seq + " after one ending at " + lastNewCursorSeq);
        }
        lastNewCursorSeq = seq;
      }
      cursor = batchCursor;
      if (!messages.isEmpty()) {
        ack();
      }
      return messages.size();
    }

    /** Acknowledges the current cursor; true if the bus took it. */
    boolean ack() {
      Answer answer = call(port, "POST", agentPath(meshwork, agent) + "/ack", key,
          new JsonObject().put("cursor", cursor), Duration.ofSeconds(10));
      if (answer.status() == 200) {
        acked.addAll(sinceAck);
        sinceAck.clear();
        return true;
      }
      failedAcks++;
      noteUnexpected("ack " + cursor, answer);
      if (forgetsOnFailedAck) {
        cursor = null;
      }
      return false;
    }

    /** A 4xx cannot come from an outage: a cursor the bus gave out that it no longer knows, say. */
    private void noteUnexpected(String what, Answer answer) {
      if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 429) {
        unexpected.add(agent + " " + what + " answered " + answer.status() + " " + abbreviate(answer.body()));
      }
    }

    /** Reads until a wait brings nothing and acknowledges where that leaves the inbox; false if the mesh kept failing. */
    boolean drain(Duration within) {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        if (waitOnce(0) == 0 && ack()) {
          return true;
        }
        pause(200);
      }
      return false;
    }

    List<Receipt> firstReceipts() {
      synchronized (firstReceipts) {
        return List.copyOf(firstReceipts);
      }
    }

    boolean hasAll(Set<String> ids) {
      synchronized (seen) {
        return seen.containsAll(ids);
      }
    }

    Map<String, Receipt> receiptsById() {
      Map<String, Receipt> byId = new HashMap<>();
      firstReceipts().forEach(r -> byId.put(r.id(), r));
      return byId;
    }
  }

  static long seqOf(String cursor) {
    return Long.parseLong(cursor.substring(0, cursor.indexOf('.')));
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
