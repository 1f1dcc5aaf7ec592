package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to one meshwork on the gateway's WebSocket stream (docs/STREAM.md): frames
 * arrive in a queue the board reads at its own pace. The key goes in the upgrade's header.
 */
final class LiveStream implements WebSocket.Listener, AutoCloseable {

  /** Put in the queue when the stream ends, with why. */
  static final JsonMap CLOSED = JsonMap.of("type", "closed");

  private final BlockingQueue<JsonMap> frames = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  // Kept referenced: the client owns the selector thread the socket runs on.
  private final HttpClient client;
  private final WebSocket socket;

  private LiveStream(URI server, String key) {
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI stream = URI.create(server.toString().replaceFirst("^http", "ws") + "/v1/stream");
    try {
      socket = client.newWebSocketBuilder().header("Authorization", "Bearer " + key).buildAsync(stream, this).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException handshake) {
        int status = handshake.getResponse().statusCode();
        throw new CliException(status == 401 ? ExitCode.NOT_LOGGED_IN : ExitCode.FAILURE,
            "the live stream refused the connection (HTTP " + status + ")"
                + (status == 401 ? "; run meshcode login again" : "; check that the gateway serves /v1/stream"));
      }
      throw Gateway.unreachable(server, e.getCause() instanceof Exception cause ? cause : e);
    }
  }

  /** Connects and subscribes to {@code meshwork}'s new entries. */
  static LiveStream subscribe(URI server, String key, String meshwork) {
    LiveStream stream = new LiveStream(server, key);
    stream.socket.sendText(Json.write(JsonMap.of("type", "subscribe", "meshwork", meshwork)), true).join();
    return stream;
  }

  /** The next frame, or null after {@code timeout}. */
  JsonMap next(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(Json.parseObject(partial.toString()));
      } catch (IllegalArgumentException ignored) {
        // not a frame of the protocol: skipped
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    frames.add(JsonMap.of("type", "closed", "code", statusCode, "reason", reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    frames.add(JsonMap.of("type", "closed", "code", 1006, "reason", String.valueOf(error.getMessage())));
  }

  @Override
  public void close() {
    socket.abort();
  }
}
