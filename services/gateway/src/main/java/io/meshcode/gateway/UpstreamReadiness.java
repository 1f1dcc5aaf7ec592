package io.meshcode.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;

/** Asks a service behind the gateway whether it is ready; its own reason travels back on failure. */
final class UpstreamReadiness {

  private final WebClient client;

  UpstreamReadiness(Vertx vertx) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setKeepAlive(true));
  }

  Future<Void> check(URI base) {
    return client.request(HttpMethod.GET, ServiceProxy.target(base, "/readiness"))
        .timeout(2500)
        .send()
        .compose(response -> {
          if (response.statusCode() == 200) {
            return Future.succeededFuture();
          }
          String body = response.bodyAsString();
          return Future.failedFuture("answered " + response.statusCode() + (body == null ? "" : ": " + body));
        });
  }

  void close() {
    client.close();
  }
}
