package io.meshcode.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * One long-poll: it joins {@link ParkedWaits} before its first read of the inbox, so no message
 * can arrive unnoticed between that read and parking. Each wake reads again, unless it is for a
 * position the wait's cursor has passed: a read never returns those. A wake during a read makes
 * one more read after it, unless that read's cursor has passed the wake's position. It answers
 * with the first read that finds messages, or with an empty batch when the time is up, or not at
 * all if the caller has gone. Everything after {@link #start} runs on the request's context.
 */
final class ParkedWait {

  /** A wake whose message's position is not known: it always reads. */
  static final long ANYWHERE = Long.MAX_VALUE;

  private final Context context;
  private final RoutingContext ctx;
  private final ParkedWaits parked;
  private final ServiceProxy proxy;
  private final URI bus;
  // No path or inbox key kept: each is made when needed, so that 10,000 parked waits do not hold
  // two strings each (docs/PERFORMANCE.md, "Heap per parked wait").
  private final Forwarding.ScopedAgent scoped;
  private final String after;
  // The acknowledgement the wait carries, until its first read has applied it (then null).
  private String ack;
  // How many the acknowledgement turned read, for the answer (null: it carried none).
  private Integer acked;
  private final Integer limit;
  private final long deadlineNanos;

  private String cursor;
  // The inbox position the cursor stands at: a read returns only messages after it (-1: unknown).
  private long passed;
  private boolean reading;
  // The highest position a wake asked for while a read was out (-1: none); it reads again if the read did not pass it.
  private long wokenWhileReading = -1;
  private boolean done;
  private boolean releasing;

  ParkedWait(Vertx vertx, RoutingContext ctx, ParkedWaits parked, ServiceProxy proxy, URI bus,
      Forwarding.ScopedAgent scoped, String after, String ack, Integer limit, int timeoutSeconds) {
    this.context = vertx.getOrCreateContext();
    this.ctx = ctx;
    this.parked = parked;
    this.proxy = proxy;
    this.scoped = scoped;
    this.bus = bus;
    this.after = after;
    this.ack = ack;
    this.limit = limit;
    this.cursor = after;
    this.passed = position(after);
    this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
  }

  /**
   * The position a cursor stands at: the bus gives cursors out as {@code <position>.<tag>}, the
   * tag naming the inbox (a read with another inbox's cursor fails, so this wait never parks on
   * one). -1 for none, or for what is not such a cursor.
   */
  static long position(String cursor) {
    int dot = cursor == null ? -1 : cursor.indexOf('.');
    if (dot <= 0) {
      return -1;
    }
    try {
      return Long.parseLong(cursor, 0, dot, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String inbox(String meshworkId, String agent) {
    return meshworkId + "/" + agent;
  }

  String inbox() {
    return inbox(scoped.meshworkId(), scoped.agent());
  }

  /** For tests, read on the wait's context: whether a read of the inbox is out (else it is parked, or done). */
  boolean reading() {
    return reading;
  }

  void start() {
    parked.join(this);
    ctx.response().closeHandler(v -> finish());
    read();
  }

  /**
   * Called from any thread ({@link ParkedWaits}'s sweep): once the wait's time is up it answers
   * with an empty batch, unless a read is out (that read answers, finding the time up).
   */
  void expireIfDue(long nowNanos) {
    if (nowNanos - deadlineNanos >= 0) {
      context.runOnContext(v -> {
        if (!done && !reading) {
          answerEmpty();
        }
      });
    }
  }

  /** Called from any thread: the inbox may have something new, at {@code position} if known (else {@link #ANYWHERE}). */
  void wake(long position) {
    context.runOnContext(v -> {
      if (done || position <= passed) {
        return;
      }
      if (reading) {
        wokenWhileReading = Math.max(wokenWhileReading, position);
      } else {
        read();
      }
    });
  }

  /** Called from any thread: answer now with an empty batch, unless a read is about to answer. */
  void release() {
    context.runOnContext(v -> {
      if (!done && !reading) {
        answerEmpty();
      } else if (!done) {
        releasing = true;
      }
    });
  }

  private void read() {
    reading = true;
    wokenWhileReading = -1;
    JsonObject body = new JsonObject().put("park_seconds", (int) Math.ceil(remainingMillis() / 1000.0));
    if (after != null) {
      body.put("after", after);
    }
    if (ack != null) {
      body.put("ack", ack);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    String take = "/v1/meshworks/" + ctx.pathParam("meshwork") + "/agents/" + scoped.agent() + "/inbox/take";
    proxy.call(ctx, Forwarding.BUS, HttpMethod.POST, bus, take, scoped.principal(), Buffer.buffer(body.encode())).onComplete(result -> {
      reading = false;
      if (done) {
        return;
      }
      if (result.failed()) {
        finish();
        ctx.fail(result.cause());
        return;
      }
      var response = result.result();
      if (response.statusCode() != 200) {
        finish();
        ServiceProxy.relay(ctx, response, response.body());
        return;
      }
      JsonObject batch = response.bodyAsJsonObject();
      if (ack != null) {
        ack = null;
        acked = batch.getInteger("acked");
      }
      cursor = batch.getString("cursor");
      passed = Math.max(passed, position(cursor));
      if (!batch.getJsonArray("messages", new JsonArray()).isEmpty()) {
        answer(batch);
      } else if (wokenWhileReading > passed && !releasing) {
        read();
      } else if (releasing || remainingMillis() <= 0) {
        answerEmpty();
      }
      // else: parked until a wake or the sweep that finds its time up
    });
  }

  private long remainingMillis() {
    return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  private void answerEmpty() {
    answer(new JsonObject().put("messages", new JsonArray()).put("cursor", cursor).put("more", false));
  }

  private void answer(JsonObject batch) {
    if (done) {
      return;
    }
    finish();
    if (acked != null) {
      batch.put("acked", acked);
    }
    ctx.response().putHeader("Content-Type", "application/json").end(batch.encode());
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    parked.leave(this);
  }
}
