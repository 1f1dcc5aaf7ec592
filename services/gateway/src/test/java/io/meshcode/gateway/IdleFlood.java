package io.meshcode.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process that opens many idle connections to a port and holds them: {@code IdleFlood
 * <port> <count> <bind address>}. It prints {@code opened N} once they are open, then holds them
 * until its standard input closes, and prints {@code closed-by-server N} (how many the server
 * closed meanwhile) before it exits. A process of its own, so that its sockets do not count
 * against the test JVM's file-descriptor limit.
 */
public final class IdleFlood {

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    InetAddress bind = InetAddress.getByName(args[2]);
    List<Socket> sockets = new ArrayList<>(count);
    int failed = 0;
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket();
      try {
        socket.bind(new InetSocketAddress(bind, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        sockets.add(socket);
      } catch (IOException e) {
        failed++;
        socket.close();
      }
    }
    System.out.println("opened " + sockets.size() + " failed " + failed);
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold until the test closes our standard input
    }
    int closedByServer = 0;
    for (Socket socket : sockets) {
      try {
        socket.setSoTimeout(1);
        if (socket.getInputStream().read() < 0) {
          closedByServer++;
        }
      } catch (IOException stillOpen) {
        // a read that times out: the server still holds it
      }
      socket.close();
    }
    System.out.println("closed-by-server " + closedByServer);
  }
}
