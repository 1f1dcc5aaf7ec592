package io.meshcode.local;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One address in front of a service's replicas, as a Kubernetes Service is: each new TCP
 * connection goes to the next replica in turn that passes its {@code /readiness} probe (polled
 * every {@value #PROBE_INTERVAL_MS} ms), and to the next one again if that connect fails. A
 * replica that is stopping reports not-ready and gets no new connections; those it has finish
 * as it drains them. When no replica is ready, every one is tried, so a mesh waiting for its
 * broker still answers with the services' own "not ready" rather than a refused connection.
 *
 * <p>Bytes are copied as they are, both ways, with back-pressure: the proxy reads nothing of
 * what passes. Connection-level balancing means a keep-alive connection stays with one replica,
 * as it does behind kube-proxy.
 */
public final class RoundRobinProxy {

  static final long PROBE_INTERVAL_MS = 250;
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String name;
  private final List<Integer> ports;
  /** 1 where the replica's last probe answered 200: written by the probes, read by every accept. */
  private final AtomicIntegerArray ready;
  private final AtomicLongArray connections;
  private final AtomicInteger next = new AtomicInteger();
  private final NetClient client;
  private final HttpClient probes;
  private NetServer server;
  private long probeTimer = -1;

  /** In front of the replicas listening on {@code ports} of the loopback address. */
  RoundRobinProxy(Vertx vertx, String name, List<Integer> ports) {
    this.vertx = vertx;
    this.name = name;
    this.ports = List.copyOf(ports);
    this.ready = new AtomicIntegerArray(ports.size());
    this.connections = new AtomicLongArray(ports.size());
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
    this.probes = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) PROBE_INTERVAL_MS * 4)
        .setKeepAlive(false));
  }

  /** Listens on {@code port} of the loopback address (0 for any free one) and starts probing; answers the port. */
  Future<Integer> listen(int port) {
    probeTimer = vertx.setPeriodic(1, PROBE_INTERVAL_MS, id -> probeAll());
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port));
    return server.connectHandler(this::accept).listen().map(NetServer::actualPort);
  }

  String name() {
    return name;
  }

  /** How many connections replica {@code index} has been given so far. */
  long connectionsTo(int index) {
    return connections.get(index);
  }

  private void accept(NetSocket downstream) {
    downstream.pause();
    connect(order(), 0).onComplete(connected -> {
      if (connected.failed()) {
        downstream.close();
        return;
      }
      NetSocket upstream = connected.result();
      downstream.pipeTo(upstream);
      upstream.pipeTo(downstream);
      downstream.closeHandler(closed -> upstream.close());
      upstream.closeHandler(closed -> downstream.close());
      downstream.exceptionHandler(error -> downstream.close());
      upstream.exceptionHandler(error -> upstream.close());
    });
  }

  /** The replicas to try, in turn: the ready ones, starting from the next in the rotation; all of them when none is ready. */
  private int[] order() {
    int start = Math.floorMod(next.getAndIncrement(), ports.size());
    boolean[] up = new boolean[ports.size()];
    int readyCount = 0;
    for (int i = 0; i < up.length; i++) {
      up[i] = ready.get(i) == 1;
      readyCount += up[i] ? 1 : 0;
    }
    int[] order = new int[readyCount == 0 ? ports.size() : readyCount];
    int filled = 0;
    for (int i = 0; i < ports.size(); i++) {
      int index = (start + i) % ports.size();
      if (readyCount == 0 || up[index]) {
        order[filled++] = index;
      }
    }
    return order;
  }

  private Future<NetSocket> connect(int[] order, int attempt) {
    int index = order[attempt];
    return client.connect(ports.get(index), "127.0.0.1")
        .onSuccess(socket -> connections.incrementAndGet(index))
        .recover(failed -> attempt + 1 < order.length ? connect(order, attempt + 1) : Future.failedFuture(failed));
  }

  private void probeAll() {
    for (int i = 0; i < ports.size(); i++) {
      int index = i;
      probes.request(HttpMethod.GET, ports.get(i), "127.0.0.1", "/readiness")
          .compose(request -> request.idleTimeout(PROBE_INTERVAL_MS * 4).send())
          .compose(response -> response.body().map(body -> response.statusCode() == 200))
          .otherwise(false)
          .onSuccess(up -> ready.set(index, up ? 1 : 0));
    }
  }

  /** Stops listening and probing; connections already made are closed with it. */
  Future<Void> close() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
    Promise<Void> closed = Promise.promise();
    (server == null ? Future.<Void>succeededFuture() : server.close())
        .eventually(client::close)
        .eventually(probes::close)
        .onComplete(closed);
    return closed.future();
  }
}
