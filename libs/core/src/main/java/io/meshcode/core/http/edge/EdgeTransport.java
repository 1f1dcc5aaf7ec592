package io.meshcode.core.http.edge;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport, except that every connection its servers accept passes {@link HttpEdge}
 * before Vert.x sees a byte of it. Vert.x has no public hook that runs before a connection's first
 * read (its connection handler runs after the first request is decoded), and a check that misses
 * the first request misses the one that matters; the server channel is the one place early enough.
 */
public final class EdgeTransport implements Transport {

  private final io.vertx.core.spi.transport.Transport nio = Transport.NIO.implementation();
  private final HttpEdge edge;

  public EdgeTransport(HttpEdge edge) {
    this.edge = edge;
  }

  @Override
  public String name() {
    return "nio+edge";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Implementation();
  }

  /** A server socket whose accepted connections are admitted (or closed) and guarded by the edge. */
  private final class GuardedServerChannel extends NioServerSocketChannel {
    @Override
    protected int doReadMessages(List<Object> accepted) throws Exception {
      int before = accepted.size();
      int read = super.doReadMessages(accepted);
      for (int i = accepted.size() - 1; i >= before; i--) {
        Channel connection = (Channel) accepted.get(i);
        if (!edge.admit(connection)) {
          accepted.remove(i);
          read--;
          connection.unsafe().closeForcibly();
        }
      }
      return read;
    }
  }

  private final class Implementation implements io.vertx.core.spi.transport.Transport {
    @Override
    public boolean supportsDomainSockets() {
      return nio.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return nio.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return nio.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return nio.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return nio.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return nio.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return nio.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return nio.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return nio.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return nio.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return nio.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return domainSocket ? nio.serverChannelFactory(true) : GuardedServerChannel::new;
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      nio.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      nio.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      nio.configure(options, domainSocket, bootstrap);
    }
  }
}
