package io.meshcode.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The floor under every call the benchmark makes: an HTTP round trip on loopback to a server that
 * answers at once, through the same client settings as {@link Api}, one call at a time.
 */
final class HttpFloor {

  private HttpFloor() {}

  static Latencies measure(Vertx vertx, int seconds, int warmupSeconds) {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end("{}"));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(1));
    Latencies latencies = new Latencies();
    try {
      long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
      long end = measureFrom + seconds * 1_000_000_000L;
      for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
        client.request(HttpMethod.GET, "/floor").send().toCompletionStage().toCompletableFuture().join();
        if (start >= measureFrom) {
          latencies.add(System.nanoTime() - start);
        }
      }
    } finally {
      client.close();
      server.close().toCompletionStage().toCompletableFuture().join();
    }
    return latencies;
  }
}
