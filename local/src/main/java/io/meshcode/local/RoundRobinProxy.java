package io.meshcode.local;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * One address in front of a service's replicas, as a Kubernetes Service is: each new TCP
 * connection goes to the next replica in turn that passes its {@code /readiness} probe (polled
 * every {@value #PROBE_INTERVAL_MS} ms), and to the next one again if that connect fails. A
 * replica that is stopping reports not-ready and gets no new connections; those it has finish
 * as it drains them. When no replica is ready, every one is tried, so a mesh waiting for its
 * broker still answers with the services' own "not ready" rather than a refused connection.
 * A probe answered by some other service (another program took a replica's port while it was
 * down) marks that replica as someone else's: it gets no connection until a probe finds its own
 * service there again, or {@link #route} moves it.
 *
 * <p>Bytes are copied as they are, both ways, with back-pressure: the proxy reads nothing of
 * what passes. Connection-level balancing means a keep-alive connection stays with one replica,
 * as it does behind kube-proxy.
 */
public final class RoundRobinProxy {

  static final long PROBE_INTERVAL_MS = 250;
  static final int NOT_READY = 0;
  static final int READY = 1;
  static final int SOMEONE_ELSE = -1;
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String name;
  /** Each replica's port, 0 until {@link #route} sets it. */
  private final AtomicIntegerArray ports;
  /** {@link #READY}, {@link #NOT_READY} or {@link #SOMEONE_ELSE}, from the replica's last probe: written by the probes, read by every accept. */
  private final AtomicIntegerArray ready;
  private final AtomicLongArray connections;
  private final AtomicInteger next = new AtomicInteger();
  private final NetClient client;
  private final HttpClient probes;
  private NetServer server;
  private long probeTimer = -1;

  /** In front of {@code replicas} replicas of service {@code name} on the loopback address; {@link #route} says where each listens. */
  RoundRobinProxy(Vertx vertx, String name, int replicas) {
    this.vertx = vertx;
    this.name = name;
    this.ports = new AtomicIntegerArray(replicas);
    this.ready = new AtomicIntegerArray(replicas);
    this.connections = new AtomicLongArray(replicas);
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

  /** Replica {@code index} listens on {@code port} (from now on: a replica moved to another port is routed there). */
  void route(int index, int port) {
    ready.set(index, NOT_READY);
    ports.set(index, port);
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

  /**
   * The replicas to try, in turn, starting from the next in the rotation: the ready ones; when
   * none is ready, every one whose port is not someone else's.
   */
  private int[] order() {
    int count = ports.length();
    int start = Math.floorMod(next.getAndIncrement(), count);
    int[] state = new int[count];
    boolean anyReady = false;
    for (int i = 0; i < count; i++) {
      state[i] = ports.get(i) == 0 ? SOMEONE_ELSE : ready.get(i);
      anyReady |= state[i] == READY;
    }
    int wanted = anyReady ? READY : NOT_READY;
    return IntStream.range(0, count)
        .map(i -> (start + i) % count)
        .filter(index -> state[index] == wanted)
        .toArray();
  }

  private Future<NetSocket> connect(int[] order, int attempt) {
    if (order.length == 0) {
      return Future.failedFuture("no replica of " + name + " to connect to");
    }
    int index = order[attempt];
    return client.connect(ports.get(index), "127.0.0.1")
        .onSuccess(socket -> connections.incrementAndGet(index))
        .recover(failed -> attempt + 1 < order.length ? connect(order, attempt + 1) : Future.failedFuture(failed));
  }

  private void probeAll() {
    for (int i = 0; i < ports.length(); i++) {
      int index = i;
      int port = ports.get(i);
      if (port == 0) {
        continue;
      }
      probes.request(HttpMethod.GET, port, "127.0.0.1", "/readiness")
          .compose(request -> request.idleTimeout(PROBE_INTERVAL_MS * 4).send())
          .compose(response -> response.body().map(body -> probeState(name, response.statusCode(), body.toString())))
          .otherwise(NOT_READY)
          .onSuccess(state -> {
            if (ports.get(index) == port) {
              ready.set(index, state);
            }
          });
    }
  }

  /** What a {@code /readiness} answer says of a replica of {@code service}: ready, not ready, or that the port is another program's. */
  static int probeState(String service, int status, String body) {
    String answeredBy;
    try {
      answeredBy = new JsonObject(body).getString("service");
    } catch (RuntimeException notServiceJson) {
      return SOMEONE_ELSE;
    }
    if (!service.equals(answeredBy)) {
      return SOMEONE_ELSE;
    }
    return status == 200 ? READY : NOT_READY;
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
