package io.meshcode.gateway;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Names;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client of {@code /v1/stream}: the dashboard, the CLI's board, an MCP server. The
 * protocol (JSON text frames) is in docs/STREAM.md. The key comes in the upgrade's Authorization
 * header or, for browsers, in a first {@code auth} message; it is checked again whenever any key
 * is revoked anywhere (an owner key, a guest member, a spectator link: {@code mesh.auth}), and a
 * dashboard session also every minute, since its expiry and its sign-out send no event.
 * Everything but {@link #recheckKey} and
 * {@link #goingAway} runs on the socket's context.
 */
final class Stream {

  private static final Logger LOG = LoggerFactory.getLogger(Stream.class);

  static final short UNAUTHORIZED = 4401;
  static final short FORBIDDEN = 4403;
  static final short TOO_SLOW = 4408;
  static final short NO_PONG = 4409;
  static final short GOING_AWAY = 1001;
  static final long AUTH_TIMEOUT_MS = 10_000;
  static final long PING_INTERVAL_MS = 20_000;
  static final long SESSION_RECHECK_MS = 60_000;
  static final int MAX_SUBSCRIPTIONS = 20;
  static final int MAX_FRAME_CHARS = 4096;

  /** What a stream needs from the gateway. */
  interface Gateway {
    Future<Caller> authenticate(String authorization);

    /** The meshwork named {@code name} as {@code caller} sees it ({@code {id, name, agents}}), or a failure to tell the client. */
    Future<JsonObject> meshwork(Stream stream, Caller caller, String name);

    Subscription.LogReader logReader();

    /** How much a stream may have waiting to be written before its client counts as too slow. */
    int queueBytes();
  }

  private final Vertx vertx;
  private final Context context;
  private final ServerWebSocket ws;
  private final StreamHub hub;
  private final Gateway gateway;
  private final String requestId;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private String authorization;
  private Caller caller;
  private long authTimer = -1;
  private long pingTimer = -1;
  private long sessionTimer = -1;
  private long lastHeard = System.nanoTime();
  private boolean closed;

  Stream(Vertx vertx, ServerWebSocket ws, StreamHub hub, Gateway gateway, String requestId, String authorization, Caller caller) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.ws = ws;
    this.hub = hub;
    this.gateway = gateway;
    this.requestId = requestId;
    this.authorization = authorization;
    this.caller = caller;
  }

  String requestId() {
    return requestId;
  }

  Collection<Subscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  void start() {
    hub.opened(this);
    ws.setWriteQueueMaxSize(gateway.queueBytes());
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> error("bad_request", "frames must be JSON text"));
    ws.pongHandler(b -> lastHeard = System.nanoTime());
    ws.closeHandler(v -> cleanUp());
    ws.exceptionHandler(e -> LOG.debug("[{}] stream: {}", requestId, e.getMessage()));
    pingTimer = vertx.setPeriodic(PING_INTERVAL_MS, id -> ping());
    if (caller == null) {
      authTimer = vertx.setTimer(AUTH_TIMEOUT_MS, id -> close(UNAUTHORIZED, "send {\"type\":\"auth\",\"key\":…} within 10 s"));
    } else {
      ready();
    }
  }

  private void onText(String text) {
    lastHeard = System.nanoTime();
    if (text.length() > MAX_FRAME_CHARS) {
      error("bad_request", "a frame may hold at most " + MAX_FRAME_CHARS + " characters");
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      error("bad_request", "a frame must be a JSON object");
      return;
    }
    String type = message.getValue("type") instanceof String t ? t : "";
    if (caller == null && !"auth".equals(type)) {
      close(UNAUTHORIZED, "authenticate first: {\"type\":\"auth\",\"key\":…}");
      return;
    }
    try {
      switch (type) {
        case "auth" -> authenticate(message);
        case "subscribe" -> subscribe(message);
        case "unsubscribe" -> unsubscribe(message);
        case "ping" -> send(new JsonObject().put("type", "pong"));
        default -> error("bad_request", "unknown message type '" + type + "'; expected auth, subscribe, unsubscribe or ping");
      }
    } catch (ApiException e) {
      error(e.code(), e.getMessage());
    }
  }

  private void authenticate(JsonObject message) {
    if (caller != null) {
      throw ApiException.badRequest("this stream is authenticated already");
    }
    String key = message.getValue("key") instanceof String k ? k : null;
    gateway.authenticate(key == null ? null : "Bearer " + key).onComplete(result -> {
      if (result.failed()) {
        close(UNAUTHORIZED, result.cause().getMessage());
        return;
      }
      authorization = "Bearer " + key;
      caller = result.result();
      vertx.cancelTimer(authTimer);
      ready();
    });
  }

  private void ready() {
    if (caller.dashboardSession() && !closed) {
      sessionTimer = vertx.setPeriodic(SESSION_RECHECK_MS, id -> recheckKey());
    }
    send(new JsonObject().put("type", "ready").put("kind", caller.kind().wireName()));
  }

  private void subscribe(JsonObject message) {
    String meshwork = name(message, "meshwork", true);
    String agent = name(message, "agent", false);
    Long after = after(message);
    if (caller.kind() == KeyKind.GUEST) {
      if (agent != null && !agent.equals(caller.agent())) {
        throw new ApiException(403, "forbidden", "a guest key follows its own agent only");
      }
      agent = caller.agent();
    }
    if (subscriptions.containsKey(meshwork)) {
      throw new ApiException(409, "conflict", "already subscribed to '" + meshwork + "'; unsubscribe first");
    }
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      throw ApiException.badRequest("at most " + MAX_SUBSCRIPTIONS + " subscriptions per stream");
    }
    String filter = agent;
    gateway.meshwork(this, caller, meshwork).onComplete(found -> {
      if (closed) {
        return;
      }
      if (found.failed()) {
        fail(found.cause());
        return;
      }
      String id = found.result().getString("id");
      InternalPrincipal principal = new InternalPrincipal(caller.id(), caller.kind(), id, caller.agent());
      Subscription subscription = new Subscription(this, context, id, meshwork, filter, principal, gateway.logReader());
      subscriptions.put(meshwork, subscription);
      // Registered before the history is read: whatever commits meanwhile arrives live, and is held.
      hub.subscribe(subscription);
      send(new JsonObject().put("type", "subscribed").put("meshwork", meshwork).put("agent", filter).put("after", after));
      subscription.start(after);
    });
  }

  private void unsubscribe(JsonObject message) {
    String meshwork = name(message, "meshwork", true);
    Subscription subscription = subscriptions.remove(meshwork);
    if (subscription == null) {
      throw ApiException.notFound("not subscribed to '" + meshwork + "'");
    }
    subscription.close();
    hub.unsubscribe(subscription);
    send(new JsonObject().put("type", "unsubscribed").put("meshwork", meshwork));
  }

  private static String name(JsonObject message, String field, boolean required) {
    Object value = message.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiException.badRequest("'" + field + "' is required");
      }
      return null;
    }
    if (!(value instanceof String name) || !Names.NAME.matcher(name).matches()) {
      throw ApiException.badRequest("'" + field + "' " + Names.RULE);
    }
    return name;
  }

  private static Long after(JsonObject message) {
    Object value = message.getValue("after");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw ApiException.badRequest("'after' must be the seq of an entry this stream sent (a whole number, 0 for the whole history)");
    }
    return ((Number) value).longValue();
  }

  /** Sends one frame; a client whose queue is full is closed rather than buffered without bound. */
  void send(JsonObject frame) {
    if (closed) {
      return;
    }
    if (ws.writeQueueFull()) {
      tooSlow();
      return;
    }
    ws.writeTextMessage(frame.encode());
  }

  void tooSlow() {
    close(TOO_SLOW, "too slow: the stream fell too far behind; reconnect and subscribe with the last seq you received");
  }

  void failed(Subscription subscription, Throwable cause) {
    subscriptions.remove(subscription.meshwork());
    subscription.close();
    hub.unsubscribe(subscription);
    fail(cause);
    send(new JsonObject().put("type", "unsubscribed").put("meshwork", subscription.meshwork()));
  }

  private void fail(Throwable cause) {
    if (cause instanceof ApiException api) {
      error(api.code(), api.getMessage());
    } else {
      LOG.warn("[{}] stream: {}", requestId, cause.toString());
      error("unavailable", "the mesh cannot answer right now; subscribe again shortly");
    }
  }

  private void error(String code, String message) {
    send(new JsonObject().put("type", "error").put("error", new JsonObject().put("code", code).put("message", message)));
  }

  /** From any thread: a key was revoked somewhere; this stream's key must still hold. */
  void recheckKey() {
    context.runOnContext(v -> {
      if (closed || caller == null) {
        return;
      }
      gateway.authenticate(authorization).onComplete(result -> {
        if (result.failed() && result.cause() instanceof ApiException api && api.status() == 401) {
          close(UNAUTHORIZED, caller.dashboardSession() ? api.getMessage() : "the key was revoked");
        }
      });
    });
  }

  void goingAway() {
    context.runOnContext(v -> close(GOING_AWAY, "the gateway is restarting; reconnect and resume from your last seq"));
  }

  private void ping() {
    if (System.nanoTime() - lastHeard > 3 * PING_INTERVAL_MS * 1_000_000L) {
      close(NO_PONG, "no pong for " + 3 * PING_INTERVAL_MS / 1000 + " s");
      return;
    }
    if (!closed && !ws.writeQueueFull()) {
      ws.writePing(Buffer.buffer("meshcode"));
    }
  }

  private void close(short code, String reason) {
    if (closed) {
      return;
    }
    cleanUp();
    // A close reason is at most 123 bytes.
    String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
    ws.close(code, shortReason);
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(authTimer);
    vertx.cancelTimer(pingTimer);
    vertx.cancelTimer(sessionTimer);
    subscriptions.values().forEach(Subscription::close);
    hub.closed(this);
    subscriptions.clear();
  }
}
