package io.meshcode.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's public API as this agent uses it: JSON over HTTP/1.1 with the agent's key. Every
 * failure becomes a {@link GatewayException} carrying the gateway's own error code and message.
 */
final class Gateway {

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final String USER_AGENT = "meshcode-mcp";

  static {
    // HttpURLConnection would send a POST without a body a second time, unasked, when its
    // connection fails before the answer (one with a body is streamed, and never sent twice).
    // What is safe to repeat, this class's callers repeat themselves (a send keeps its id).
    System.setProperty("sun.net.http.retryPost", "false");
  }

  private final URI server;
  private final String authorization;
  private final String meshwork;
  private final String agent;
  private final HttpClient http;
  // The session this window holds, sent with every call: the bus refuses what a window does once
  // another window took the agent over, on its very next call.
  private volatile String session;

  Gateway(McpOptions options) {
    this.server = options.server();
    this.authorization = "Bearer " + options.apiKey();
    this.meshwork = options.project();
    this.agent = options.agent();
    HttpClient.Builder http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    if (server.getScheme().equals("http")) {
      // The default TLS context loads the JDK's CA certificates, a good part of the start-up time;
      // a plain-HTTP server never needs it (and redirects are not followed).
      http.sslContext(PlainHttp.NO_TLS);
    }
    this.http = http.build();
  }

  String meshwork() {
    return meshwork;
  }

  String agent() {
    return agent;
  }

  URI server() {
    return server;
  }

  /** The session calls are made in from now on; null for none. */
  void session(String id) {
    this.session = id;
  }

  /** {@code /v1/meshworks/<this meshwork>/<segments…>}, each segment percent-encoded. */
  String meshworkPath(String... segments) {
    return "/v1/meshworks/" + segment(meshwork) + join(segments);
  }

  /** {@code /v1/meshworks/<this meshwork>/agents/<this agent>/<segments…>}. */
  String agentPath(String... segments) {
    return meshworkPath("agents", agent) + join(segments);
  }

  /** {@code path?name=value&…} with the non-null values, encoded. */
  static String query(String path, Map<String, ?> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach((name, value) -> {
      if (value != null) {
        query.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
      }
    });
    return path + query;
  }

  static Map<String, Object> params(Object... namesAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  JsonNode get(String path) {
    return call("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) {
    return call("POST", path, body);
  }

  JsonNode put(String path, JsonNode body) {
    return call("PUT", path, body);
  }

  JsonNode patch(String path, JsonNode body) {
    return call("PATCH", path, body);
  }

  JsonNode delete(String path) {
    return call("DELETE", path, null);
  }

  /** A blocking call: the answer's JSON ({@code {}} for an empty one). */
  JsonNode call(String method, String path, JsonNode body) {
    return call(method, path, body, CALL_TIMEOUT);
  }

  /**
   * A blocking call made on the calling thread over a kept-alive connection ({@link
   * HttpURLConnection}): the JDK's HttpClient hands each exchange to its selector thread and back
   * through an executor, which cost a tool call about half a millisecond on every send here
   * and about 2.4 ms on every wake (docs/PERFORMANCE.md, "The MCP hop"). PATCH, which that class
   * cannot send, and the calls made side by side ({@link #callAsync}) go through the HttpClient.
   */
  JsonNode call(String method, String path, JsonNode body, Duration timeout) {
    return call(method, path, body, timeout, CancelSignal.NEVER);
  }

  /**
   * The same, ended by {@code cancel}: that closes the call's connection, and the call fails with
   * {@code cancelled}. Closing it once the call is over closes at most an idle kept-alive
   * connection, never one another call is using.
   */
  JsonNode call(String method, String path, JsonNode body, Duration timeout, CancelSignal cancel) {
    if (method.equals("PATCH")) {
      return patch(path, body, timeout);
    }
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) server.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) timeout.toMillis());
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestMethod(method);
      HttpURLConnection cancellable = connection;
      cancel.onCancel(cancellable::disconnect);
      headers().forEach(connection::setRequestProperty);
      if (body != null) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      String text;
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return decode(status, text);
    } catch (IOException e) {
      if (connection != null) {
        connection.disconnect();
      }
      if (cancel.isCancelled()) {
        throw new ToolError("cancelled", "the call was cancelled");
      }
      throw failure(e, timeout);
    }
  }

  private JsonNode patch(String path, JsonNode body, Duration timeout) {
    try {
      return decode(http.send(request("PATCH", path, body, timeout), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw failure(e, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("cancelled", "the call was interrupted");
    }
  }

  /**
   * The same call without blocking. Cancelling the returned future aborts the exchange and
   * closes its connection, which is how a cancelled wait leaves the gateway at once.
   */
  CompletableFuture<JsonNode> callAsync(String method, String path, JsonNode body, Duration timeout) {
    CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request(method, path, body, timeout), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<JsonNode> result = exchange.handle((response, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        throw cause instanceof IOException io ? failure(io, timeout) : new CompletionException(cause);
      }
      return decode(response);
    });
    result.whenComplete((value, error) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  /** The headers of every call, whichever client makes it. */
  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", authorization);
    headers.put("Accept", "application/json");
    headers.put("User-Agent", USER_AGENT);
    // Which agent this window is: with an owner's key, what it writes is that agent's, not the owner's.
    headers.put("Meshcode-Agent", agent);
    String inSession = session;
    if (inSession != null) {
      headers.put("Meshcode-Session", inSession);
    }
    return headers;
  }

  private HttpRequest request(String method, String path, JsonNode body, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(timeout);
    headers().forEach(builder::header);
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private static JsonNode decode(HttpResponse<String> response) {
    return decode(response.statusCode(), response.body() == null ? "" : response.body());
  }

  private static JsonNode decode(int status, String text) {
    JsonNode json = null;
    if (!text.isBlank()) {
      try {
        json = Json.parse(text);
      } catch (JacksonException e) {
        json = null;
      }
    }
    if (status >= 200 && status < 300) {
      if (text.isBlank()) {
        return Json.object();
      }
      if (json == null) {
        throw new GatewayException(status, "bad_response", "the server answered something that is not JSON", null);
      }
      return json;
    }
    JsonNode error = json == null ? null : json.get("error");
    String code = Json.text(error, "code");
    String message = Json.text(error, "message");
    throw new GatewayException(status, code != null ? code : "http_" + status,
        message != null ? message : "the server answered HTTP " + status, error);
  }

  private GatewayException failure(IOException e, Duration timeout) {
    if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
      return new GatewayException(0, "timeout", "the MeshCode server at " + server + " did not answer within "
          + timeout.toSeconds() + " s", null);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    return GatewayException.unreachable("cannot reach the MeshCode server at " + server + " (" + detail + ")");
  }

  private static String join(String... segments) {
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      path.append('/').append(segment(segment));
    }
    return path.toString();
  }

  /** A path segment, percent-encoded so a key like {@code a/b c} stays one segment. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
