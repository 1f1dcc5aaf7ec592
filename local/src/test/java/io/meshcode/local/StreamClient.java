package io.meshcode.local;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of the gateway's {@code /v1/stream}, as the dashboard or the CLI's board use it. */
final class StreamClient implements WebSocket.Listener, AutoCloseable {

  /** How the server closed the stream. */
  record Closed(int code, String reason) {}

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final boolean reading;
  private WebSocket socket;

  private StreamClient(boolean reading) {
    this.reading = reading;
  }

  /** Connects with the key in the Authorization header (null: none); a client that does not read holds every frame back. */
  static StreamClient connect(int port, String key, boolean reading) {
    StreamClient client = new StreamClient(reading);
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/stream"), client).join();
    return client;
  }

  static StreamClient connect(int port, String key) {
    return connect(port, key, true);
  }

  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
  }

  /** Starts reading (for a client connected without reading). */
  void readAll() {
    socket.request(Long.MAX_VALUE);
  }

  /** The next frame, failing after {@code timeout}. */
  JsonObject next(Duration timeout) {
    try {
      JsonObject frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + timeout);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Skips frames until one matches. */
  JsonObject next(Predicate<JsonObject> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonObject frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (reading) {
      webSocket.request(Long.MAX_VALUE);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
