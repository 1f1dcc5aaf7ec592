package io.meshcode.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The gateway's public API as the benchmark calls it: one owner key, JSON in and out. */
final class Api {

  private final Vertx vertx;
  private final WebClient client;
  private final String authorization;

  Api(Vertx vertx, int port, String ownerKey, int connections) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1").setDefaultPort(port)
            .setKeepAlive(true).setPipelining(false).setIdleTimeout(0).setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.authorization = "Bearer " + ownerKey;
  }

  Future<HttpResponse<Buffer>> call(HttpMethod method, String path, JsonObject body) {
    return call(method, path, body, MultiMap.caseInsensitiveMultiMap(), 120_000);
  }

  /** A call with these headers too (an agent's window's, say: {@link AgentWindow#headers}). */
  Future<HttpResponse<Buffer>> call(HttpMethod method, String path, JsonObject body, MultiMap headers) {
    return call(method, path, body, headers, 120_000);
  }

  /** A call that may go {@code timeoutMs} without an answer (a long poll's, say). */
  Future<HttpResponse<Buffer>> call(HttpMethod method, String path, JsonObject body, long timeoutMs) {
    return call(method, path, body, MultiMap.caseInsensitiveMultiMap(), timeoutMs);
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String path, JsonObject body, MultiMap headers, long timeoutMs) {
    var request = client.request(method, path).putHeaders(headers).putHeader("Authorization", authorization).timeout(timeoutMs);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  /** A call that must answer {@code status}; its body. */
  Future<JsonObject> expect(int status, HttpMethod method, String path, JsonObject body) {
    return call(method, path, body).compose(response -> response.statusCode() == status
        ? Future.succeededFuture(response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject())
        : Future.failedFuture(method + " " + path + " answered " + response.statusCode() + ": " + response.bodyAsString()));
  }

  JsonObject await(Future<JsonObject> call) {
    return call.toCompletionStage().toCompletableFuture().join();
  }

  /** A meshwork with these agents. */
  void meshwork(String name, Iterable<String> agents) {
    await(expect(201, HttpMethod.POST, "/v1/meshworks", new JsonObject().put("name", name)));
    for (String agent : agents) {
      await(expect(201, HttpMethod.POST, "/v1/meshworks/" + name + "/agents", new JsonObject().put("name", agent)));
    }
  }

  /**
   * Opens a session for the agent and renews it every third of its lease, as the MCP server does
   * in an editor: the agent then has a status, and each wait that parks or hands messages over
   * changes it. The agent's calls carry its {@link AgentWindow#headers}, so the bus checks the
   * session on each, as it does the MCP server's. Close it to stop the renewals.
   */
  AgentWindow openSession(String meshwork, String agent) {
    return AgentWindow.open(this, vertx, meshwork, agent, renewal -> {
      if (renewal.failed()) {
        System.err.println("renewing the session of " + agent + ": " + renewal.cause().getMessage());
      } else if (renewal.result().statusCode() != 200) {
        System.err.println("renewing the session of " + agent + ": answered " + renewal.result().statusCode() + ": "
            + renewal.result().bodyAsString());
      }
    });
  }

  /** The headers of a call made in {@code window}: none for an agent without a session (null). */
  static MultiMap headersOf(AgentWindow window) {
    return window == null ? MultiMap.caseInsensitiveMultiMap() : window.headers();
  }

  static String agentPath(String meshwork, String agent) {
    return "/v1/meshworks/" + meshwork + "/agents/" + agent;
  }

  void close() {
    client.close();
  }
}
