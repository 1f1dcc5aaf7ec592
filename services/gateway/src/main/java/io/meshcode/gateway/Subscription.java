package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One stream's subscription to one meshwork's replay log (or, with {@code agent}, to what that
 * agent sent or received). It sends each entry once, in sequence order: entries arrive live from
 * {@code mesh.log}, and whatever the live feed cannot vouch for (the history after a resume
 * cursor, a gap in the sequence) is read from the bus's log first, while live entries wait in a
 * bounded buffer. The subscription is registered before that first read, so nothing committed in
 * between is missed. Everything runs on the stream's context.
 */
final class Subscription {

  /** Live entries held while a read of the log is in flight; more means the client cannot keep up. */
  static final int MAX_BUFFERED = 10_000;
  static final int PAGE = 500;

  interface LogReader {
    /** One page of the bus's log after {@code after}: {@code {entries:[…], next_after}}. */
    Future<JsonObject> page(Subscription subscription, long after, int limit);
  }

  private final Stream stream;
  private final Context context;
  private final String meshworkId;
  private final String meshwork;
  private final String agent;
  private final InternalPrincipal principal;
  private final LogReader reader;
  private final Deque<JsonObject> buffered = new ArrayDeque<>();

  /** The highest sequence known to be covered (sent, or not visible to this subscription); -1 before the first entry. */
  private long lastSeen = -1;
  private boolean reading;
  private boolean closed;

  Subscription(Stream stream, Context context, String meshworkId, String meshwork, String agent, InternalPrincipal principal, LogReader reader) {
    this.stream = stream;
    this.context = context;
    this.meshworkId = meshworkId;
    this.meshwork = meshwork;
    this.agent = agent;
    this.principal = principal;
    this.reader = reader;
  }

  String meshworkId() {
    return meshworkId;
  }

  String meshwork() {
    return meshwork;
  }

  String agent() {
    return agent;
  }

  InternalPrincipal principal() {
    return principal;
  }

  /** Starts: the history after {@code after} first, if given; else live from the next entry. */
  void start(Long after) {
    if (after != null) {
      lastSeen = after;
      readFrom(after, after);
    }
  }

  /** From any thread: a live entry of this meshwork. */
  void offer(JsonObject entry) {
    context.runOnContext(v -> accept(entry));
  }

  void close() {
    closed = true;
    buffered.clear();
  }

  private void accept(JsonObject entry) {
    if (closed) {
      return;
    }
    if (reading) {
      if (buffered.size() >= MAX_BUFFERED) {
        stream.tooSlow();
        return;
      }
      buffered.add(entry);
      return;
    }
    long seq = entry.getLong("seq");
    if (lastSeen < 0 || seq == lastSeen + 1) {
      lastSeen = seq;
      deliver(entry);
    } else if (seq > lastSeen + 1) {
      // A gap: entries between were committed before this one; read them (this one included).
      buffered.add(entry);
      readFrom(lastSeen, seq);
    }
    // seq <= lastSeen: sent already, or read from the log already.
  }

  /** Reads the log after {@code after}; everything up to {@code covered} is committed, so the read covers it. */
  private void readFrom(long after, long covered) {
    reading = true;
    reader.page(this, after, PAGE).onComplete(result -> {
      if (closed) {
        return;
      }
      if (result.failed()) {
        stream.failed(this, result.cause());
        return;
      }
      JsonObject page = result.result();
      JsonArray entries = page.getJsonArray("entries", new JsonArray());
      for (int i = 0; i < entries.size(); i++) {
        JsonObject entry = entries.getJsonObject(i);
        long seq = entry.getLong("seq");
        if (seq > lastSeen) {
          lastSeen = seq;
          deliver(entry);
        }
      }
      Long next = page.getLong("next_after");
      if (next != null && !closed) {
        readFrom(next, covered);
        return;
      }
      lastSeen = Math.max(lastSeen, covered);
      reading = false;
      Deque<JsonObject> held = new ArrayDeque<>(buffered);
      buffered.clear();
      held.forEach(this::accept);
    });
  }

  private void deliver(JsonObject entry) {
    if (agent == null || agent.equals(entry.getString("agent")) || involves(entry.getJsonArray("recipients"))) {
      stream.send(new JsonObject().put("type", "entry").put("meshwork", meshwork).put("entry", entry.copy().put("meshwork", meshwork)));
    }
  }

  private boolean involves(JsonArray recipients) {
    return recipients != null && recipients.contains(agent);
  }
}
