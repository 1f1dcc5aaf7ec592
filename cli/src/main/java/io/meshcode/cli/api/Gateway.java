package io.meshcode.cli.api;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's public API, the only way the CLI reaches the mesh. Plain {@link HttpURLConnection}:
 * it loads in a fraction of the time {@code java.net.http} takes, which is most of what a quick
 * verb costs. Every failure becomes a {@link CliException} with one clear line; the key never
 * appears in one.
 */
public final class Gateway {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 30_000;

  private final URI server;
  private final String key;

  /** @param key the key to send, or null for the operations that need none */
  public Gateway(URI server, String key) {
    this.server = server;
    this.key = key;
  }

  public URI server() {
    return server;
  }

  public JsonMap get(String path) {
    return call("GET", path, null);
  }

  public JsonMap post(String path, JsonMap body) {
    return call("POST", path, body == null ? new JsonMap() : body);
  }

  public void delete(String path) {
    call("DELETE", path, null);
  }

  /**
   * A PATCH, which {@link HttpURLConnection} cannot send: through {@code java.net.http}, loaded
   * only by the few commands that edit something.
   */
  public JsonMap patch(String path, JsonMap body) {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(server.resolve(path))
        .timeout(java.time.Duration.ofMillis(READ_TIMEOUT_MS))
        .header("Accept", "application/json")
        .header("User-Agent", "meshcode-cli")
        .header("Content-Type", "application/json")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .connectTimeout(java.time.Duration.ofMillis(CONNECT_TIMEOUT_MS)).build();
    try {
      java.net.http.HttpResponse<String> response = client.send(request.build(),
          java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
    } catch (java.net.http.HttpTimeoutException e) {
      throw new CliException(ExitCode.UNREACHABLE, "server unreachable: " + server + " did not answer in time;"
          + " check that the mesh is running, or choose another with --server or MESHCODE_SERVER");
    } catch (IOException e) {
      throw unreachable(server, e.getCause() instanceof Exception cause ? cause : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while waiting for " + server + "; run the command again");
    }
  }

  /** One call; answers the body as an object (empty for 204). */
  public JsonMap call(String method, String path, JsonMap body) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) server.resolve(path).toURL().openConnection();
      connection.setRequestMethod(method);
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty("User-Agent", "meshcode-cli");
      if (key != null) {
        connection.setRequestProperty("Authorization", "Bearer " + key);
      }
      if (body != null) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      String text = read(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      return answer(status, text, connection.getHeaderField("Retry-After"));
    } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
      throw unreachable(server, e);
    } catch (SocketTimeoutException e) {
      throw new CliException(ExitCode.UNREACHABLE, "server unreachable: " + server + " did not answer in time;"
          + " check that the mesh is running, or choose another with --server or MESHCODE_SERVER");
    } catch (IOException e) {
      throw unreachable(server, e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private JsonMap answer(int status, String text, String retryAfter) {
    if (status >= 400) {
      throw error(status, text, retryAfter);
    }
    if (text.isBlank()) {
      return new JsonMap();
    }
    try {
      return Json.parseObject(text);
    } catch (IllegalArgumentException e) {
      throw CliException.failure("the server at " + server + " answered something that is not MeshCode's API (" + e.getMessage()
          + "); check that --server or MESHCODE_SERVER names a MeshCode gateway");
    }
  }

  public static CliException unreachable(URI server, Exception cause) {
    String why = cause instanceof UnknownHostException ? "unknown host" : cause instanceof ConnectException
        ? "connection refused" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return new CliException(ExitCode.UNREACHABLE, "server unreachable: cannot reach " + server + " (" + why
        + "); check that the mesh is running, or choose another with --server or MESHCODE_SERVER", cause);
  }

  private GatewayError error(int status, String text, String retryAfter) {
    String code = null;
    String message = null;
    try {
      JsonMap error = Json.parseObject(text).object("error");
      code = error.string("code");
      message = error.string("message");
    } catch (IllegalArgumentException ignored) {
      // not the gateway's error shape: a proxy in between, say
    }
    if (message == null) {
      message = "HTTP " + status;
    }
    if (status == 401) {
      message = message + "; run meshcode login with a current key (a guest: ask for a new invite)";
    } else if (status == 429) {
      message = "the server is rate limiting this key; retry in " + (retryAfter == null ? "a few" : retryAfter) + " s";
    } else if (status >= 500) {
      message = "the server at " + server + " failed: " + message + " (HTTP " + status + ")";
    }
    return new GatewayError(status, code, message);
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
