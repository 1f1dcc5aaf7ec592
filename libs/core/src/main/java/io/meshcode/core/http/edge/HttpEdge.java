package io.meshcode.core.http.edge;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service's HTTP server does with each new connection before it reads a byte ({@link
 * EdgeTransport} calls it). It counts connections per peer address (never a forwarded one: no
 * header has been read yet, and none can vouch for a connection) and in all; at a limit
 * ({@link EdgeLimits#maxConnectionsPerAddress()}, {@link EdgeLimits#maxConnections()}) it closes
 * the connection of that address (or any) that has waited longest without a request in flight —
 * one that never sent a request, or a kept-alive one between requests — to make room, if it has
 * waited a second at least (so that a newcomer has time to send its request); only if none has
 * does it turn the newcomer away. So idle connections can never take
 * the file descriptors real requests need, and a client that is answering or being answered (a
 * long poll) is never the one closed. Every admitted connection gets a {@link StrictHttp1} at the
 * head of its pipeline, ahead of everything Vert.x adds. Shared by every event loop of a service.
 */
public final class HttpEdge {

  private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
  private static final Object NO_ADDRESS = new Object();
  /** A connection is never closed for room sooner than this after it arrived or was last answered. */
  public static final long GRACE_MILLIS = 1_000;
  private static final long GRACE_NANOS = GRACE_MILLIS * 1_000_000;

  private final EdgeLimits limits;
  private final Object lock = new Object();
  // All below under lock: connection rates are far lower than request rates.
  private final Map<Channel, Object> addressOf = new HashMap<>();
  private final Map<Object, Integer> openByAddress = new HashMap<>();
  // Connections with no request in flight, by when they began to wait (oldest first).
  private final Map<Object, LinkedHashMap<Channel, Long>> waitingByAddress = new HashMap<>();
  private final LinkedHashMap<Channel, Long> waiting = new LinkedHashMap<>();
  private volatile int open;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger evicted = new AtomicInteger();

  public HttpEdge(EdgeLimits limits) {
    this.limits = limits;
  }

  /** Connections open now. */
  public int open() {
    return open;
  }

  /** Connections turned away on arrival (every other one busy), since start. */
  public int refused() {
    return refused.get();
  }

  /** Waiting connections closed to make room for a newer one, since start. */
  public int evicted() {
    return evicted.get();
  }

  /**
   * Called for each accepted connection before it is registered: false (the caller closes it) if
   * no room can be made for it; otherwise it is counted until it closes and guarded.
   */
  boolean admit(Channel connection) {
    Object address = connection.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : NO_ADDRESS;
    Channel evict = null;
    boolean admitted;
    long now = System.nanoTime();
    synchronized (lock) {
      if (openByAddress.getOrDefault(address, 0) >= limits.maxConnectionsPerAddress()) {
        evict = oldest(waitingByAddress.get(address), now);
      } else if (open >= limits.maxConnections()) {
        evict = oldest(waiting, now);
      }
      if (evict != null) {
        forget(evict);
      }
      admitted = openByAddress.getOrDefault(address, 0) < limits.maxConnectionsPerAddress() && open < limits.maxConnections();
      if (admitted) {
        addressOf.put(connection, address);
        openByAddress.merge(address, 1, Integer::sum);
        open++;
        markWaiting(connection, address, now);
      }
    }
    if (evict != null) {
      note(evicted, "closed {} waiting connection(s) in all to make room: at {} from one address or {} open");
      evict.close();
    }
    if (!admitted) {
      note(refused, "turned away {} connection(s) in all: at {} from one address or {} open, every one busy");
      return false;
    }
    connection.closeFuture().addListener(closed -> {
      synchronized (lock) {
        forget(connection);
      }
    });
    connection.pipeline().addFirst(StrictHttp1.NAME, new StrictHttp1(limits, this));
    return true;
  }

  /** The connection has a request in flight: it is not to be closed for room. */
  void busy(Channel connection) {
    synchronized (lock) {
      Object address = addressOf.get(connection);
      if (address != null) {
        notWaiting(connection, address);
      }
    }
  }

  /** The connection waits for its next request: the longest waiting is the first closed for room. */
  void waiting(Channel connection) {
    synchronized (lock) {
      Object address = addressOf.get(connection);
      if (address != null) {
        markWaiting(connection, address, System.nanoTime());
      }
    }
  }

  private void markWaiting(Channel connection, Object address, long now) {
    waiting.put(connection, now);
    waitingByAddress.computeIfAbsent(address, a -> new LinkedHashMap<>()).put(connection, now);
  }

  /** The connection that has waited longest, if it has waited at least {@link #GRACE_NANOS}. */
  private static Channel oldest(LinkedHashMap<Channel, Long> connections, long now) {
    if (connections == null || connections.isEmpty()) {
      return null;
    }
    Map.Entry<Channel, Long> first = connections.entrySet().iterator().next();
    return now - first.getValue() >= GRACE_NANOS ? first.getKey() : null;
  }

  /** Stops counting {@code connection} (once: when it is closed for room, and again when it closes). */
  private void forget(Channel connection) {
    Object address = addressOf.remove(connection);
    if (address == null) {
      return;
    }
    notWaiting(connection, address);
    openByAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    open--;
  }

  private void notWaiting(Channel connection, Object address) {
    waiting.remove(connection);
    LinkedHashMap<Channel, Long> ofAddress = waitingByAddress.get(address);
    if (ofAddress != null && ofAddress.remove(connection) != null && ofAddress.isEmpty()) {
      waitingByAddress.remove(address);
    }
  }

  private void note(AtomicInteger counter, String message) {
    int count = counter.incrementAndGet();
    if (Integer.bitCount(count) == 1) { // 1, 2, 4, 8, …: a flood is logged, not a line per connection
      LOG.warn(message, count, limits.maxConnectionsPerAddress(), limits.maxConnections());
    }
  }
}
