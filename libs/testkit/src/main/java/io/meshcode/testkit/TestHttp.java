package io.meshcode.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain blocking HTTP/1.1 calls for tests that drive a service the way a client would. */
public final class TestHttp {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private TestHttp() {}

  public static HttpResponse<String> get(int port, String path) {
    return get(port, path, null);
  }

  /** GET with {@code Authorization: <authorization>} when it is not null. */
  public static HttpResponse<String> get(int port, String path, String authorization) {
    return send(port, "GET", path, authorization, null, Map.of());
  }

  /** Any method, with a key ({@code Bearer} is added) and a JSON body when they are not null. */
  public static HttpResponse<String> call(int port, String method, String path, String key, String jsonBody) {
    return send(port, method, path, key == null ? null : "Bearer " + key, jsonBody, Map.of());
  }

  public static HttpResponse<String> send(
      int port, String method, String path, String authorization, String jsonBody, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    headers.forEach(request::header);
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
