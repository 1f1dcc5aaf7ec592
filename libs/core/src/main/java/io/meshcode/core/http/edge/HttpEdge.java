package io.meshcode.core.http.edge;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service's HTTP server does with each new connection before it reads a byte ({@link
 * EdgeTransport} calls it): closes it at once if its client address already holds {@link
 * EdgeLimits#maxConnectionsPerAddress()}, or the server {@link EdgeLimits#maxConnections()}, so
 * that idle connections can never take the file descriptors real requests need; otherwise puts
 * {@link StrictHttp1} in front of everything else. Shared by every event loop of one service.
 */
public final class HttpEdge {

  private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);

  private final EdgeLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  public HttpEdge(EdgeLimits limits) {
    this.limits = limits;
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed on arrival for a limit, since start. */
  public int refused() {
    return refused.get();
  }

  /**
   * Called for each accepted connection before it is registered: false (the caller closes it) if
   * a limit is reached; otherwise the connection is counted until it closes and gets its {@link
   * StrictHttp1} at the head of its pipeline, ahead of everything Vert.x adds.
   */
  boolean admit(Channel connection) {
    InetAddress address = connection.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    if (!admit(address)) {
      int count = refused.incrementAndGet();
      if (Integer.bitCount(count) == 1) { // 1, 2, 4, 8, …: a flood is logged, not a line per connection
        LOG.warn("closed {} connection(s) on arrival in all: over {} from one address or {} open", count,
            limits.maxConnectionsPerAddress(), limits.maxConnections());
      }
      return false;
    }
    connection.closeFuture().addListener(closed -> release(address));
    connection.pipeline().addFirst(StrictHttp1.NAME, new StrictHttp1(limits));
    return true;
  }

  private boolean admit(InetAddress address) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      return false;
    }
    if (address == null) {
      return true;
    }
    boolean[] admitted = {false};
    byAddress.compute(address, (a, count) -> {
      int n = count == null ? 0 : count;
      if (n >= limits.maxConnectionsPerAddress()) {
        return count;
      }
      admitted[0] = true;
      return n + 1;
    });
    if (!admitted[0]) {
      open.decrementAndGet();
    }
    return admitted[0];
  }

  private void release(InetAddress address) {
    open.decrementAndGet();
    if (address != null) {
      byAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }
  }
}
