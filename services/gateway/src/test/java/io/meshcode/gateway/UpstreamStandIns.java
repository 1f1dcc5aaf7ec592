package io.meshcode.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshcode.core.auth.SecretKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Plain HTTP servers standing in for the services behind the gateway: a readiness a test can
 * flip, the invites service's key resolution (by key or by hash) from a table the test fills,
 * and an echo of every other request (with the claims of the internal token it carried) to show
 * what was forwarded.
 */
final class UpstreamStandIns implements AutoCloseable {

  private final Map<String, HttpServer> servers = new HashMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> scopedKeys = new ConcurrentHashMap<>();
  private final Map<String, Long> delays = new ConcurrentHashMap<>();

  static UpstreamStandIns start(String... names) {
    UpstreamStandIns standIns = new UpstreamStandIns();
    for (String name : names) {
      standIns.add(name);
    }
    return standIns;
  }

  private void add(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ready.put(name, true);
      server.createContext("/readiness", exchange -> {
        boolean up = ready.get(name);
        reply(exchange, up ? 200 : 503, new JsonObject().put("service", name).put("status", up ? "UP" : "DOWN"));
      });
      server.createContext("/v1/keys/resolve", exchange -> {
        JsonObject query = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        JsonObject found = query.containsKey("key_hash") ? byHash(query.getString("key_hash"), query.getString("kind"))
            : scopedKeys.get(query.getString("key"));
        reply(exchange, found == null ? 404 : 200, found == null ? new JsonObject() : found);
      });
      server.setExecutor(Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, name + "-stand-in");
        thread.setDaemon(true);
        return thread;
      }));
      server.createContext("/", exchange -> reply(exchange, pause(name), new JsonObject()
          .put("service", name)
          .put("method", exchange.getRequestMethod())
          .put("uri", exchange.getRequestURI().toString())
          .put("request_id", exchange.getRequestHeaders().getFirst("X-Request-Id"))
          .put("claims", claims(exchange.getRequestHeaders().getFirst("Authorization")))
          .put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
          .put("recipients", new io.vertx.core.json.JsonArray())));
      server.start();
      servers.put(name, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on the echo of {@code name} answers {@code millis} late (0: at once). */
  void delay(String name, long millis) {
    delays.put(name, millis);
  }

  /** Waits as {@link #delay} asked; answers the status to reply with. */
  private int pause(String name) {
    long millis = delays.getOrDefault(name, 0L);
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 200;
  }

  /** What the invites stand-in answers when the gateway resolves {@code key}. */
  void addScopedKey(String key, JsonObject resolved) {
    scopedKeys.put(key, resolved);
  }

  /** As the invites service answers {@code {key_hash, kind}}: the scoped key with that SHA-256 hash, if of that kind. */
  private JsonObject byHash(String hex, String kind) {
    return scopedKeys.entrySet().stream()
        .filter(e -> HexFormat.of().formatHex(SecretKeys.hash(e.getKey())).equals(hex) && e.getValue().getString("kind").equals(kind))
        .map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  void removeScopedKey(String key) {
    scopedKeys.remove(key);
  }

  void setReady(String name, boolean up) {
    ready.put(name, up);
  }

  void stop(String name) {
    servers.remove(name).stop(0);
  }

  /** {@code MESHCODE_<NAME>_URL} for each stand-in. */
  Map<String, String> urlEnv() {
    Map<String, String> env = new HashMap<>();
    servers.forEach((name, server) ->
        env.put("MESHCODE_" + name.toUpperCase() + "_URL", "http://127.0.0.1:" + server.getAddress().getPort()));
    return env;
  }

  @Override
  public void close() {
    servers.values().forEach(server -> server.stop(0));
  }

  private static JsonObject claims(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    String[] parts = authorization.substring(7).split("\\.");
    return parts.length == 3 ? new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)) : null;
  }

  private static void reply(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
