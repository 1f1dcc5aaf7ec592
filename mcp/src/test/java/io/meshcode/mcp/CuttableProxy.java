package io.meshcode.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A TCP proxy in front of the gateway whose connections a test can cut, as a network drop would. */
final class CuttableProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> open = new ArrayList<>();
  private volatile boolean refusing;

  CuttableProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (refusing) {
          client.close();
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (open) {
          open.add(client);
          open.add(upstream);
        }
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // closed, or one connection failed
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // cut
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Drops every open connection; while {@code refuse} holds, new ones are closed at once. */
  void cut(boolean refuse) {
    refusing = refuse;
    synchronized (open) {
      open.forEach(CuttableProxy::closeQuietly);
      open.clear();
    }
  }

  void accept(boolean accept) {
    refusing = !accept;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut(true);
  }
}
