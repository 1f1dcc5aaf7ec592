package io.meshcode.testkit;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a service's {@code /v1} API the way the gateway does: as one principal, with an internal
 * token naming it. A body is a JsonObject, or a String sent verbatim (to test malformed input).
 */
public class ApiCaller {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final int port;
  private final InternalTokens tokens;
  private final InternalPrincipal principal;

  public ApiCaller(int port, InternalTokens tokens, InternalPrincipal principal) {
    this.port = port;
    this.tokens = tokens;
    this.principal = principal;
  }

  public InternalPrincipal principal() {
    return principal;
  }

  public String account() {
    return principal.account();
  }

  public ApiResponse get(String path) {
    return send("GET", path, null);
  }

  public ApiResponse post(String path, Object body) {
    return send("POST", path, body);
  }

  public ApiResponse put(String path, Object body) {
    return send("PUT", path, body);
  }

  public ApiResponse patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null);
  }

  public ApiResponse send(String method, String path, Object body) {
    return TestServices.await(sendAsync(method, path, body));
  }

  public CompletableFuture<ApiResponse> sendAsync(String method, String path, Object body) {
    String text = body == null ? "" : body instanceof JsonObject json ? json.encode() : body.toString();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1" + path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + tokens.issue(principal))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
        .build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> new ApiResponse(
        response.statusCode(), response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body())));
  }
}
