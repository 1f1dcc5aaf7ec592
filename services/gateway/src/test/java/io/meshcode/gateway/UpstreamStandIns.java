package io.meshcode.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plain HTTP servers standing in for the services behind the gateway, with a readiness a test can flip. */
final class UpstreamStandIns implements AutoCloseable {

  private final Map<String, HttpServer> servers = new HashMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

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
        byte[] body = ("{\"service\":\"" + name + "\",\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(up ? 200 : 503, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      servers.put(name, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void setReady(String name, boolean up) {
    ready.put(name, up);
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
}
