package io.meshcode.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte for byte, for what an ordinary client refuses to send (an absolute-form
 * target, {@code //} or dot segments, two framing headers, a folded header line). Answers what the
 * server wrote until it closed the connection or went quiet.
 */
public final class RawHttp {

  private static final int QUIET_MS = 5_000;

  private RawHttp() {}

  /** The whole answer to {@code request} (sent as ISO-8859-1 bytes), or "" if none came. */
  public static String exchange(int port, String request) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public static String exchange(int port, byte[] request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(QUIET_MS);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return readUntilQuiet(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("raw request to port " + port + " failed", e);
    }
  }

  /** A request line and headers with {@code Connection: close}, no body. */
  public static String get(int port, String target, String... headerLines) {
    StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return exchange(port, request.append("Connection: close\r\n\r\n").toString());
  }

  /** The status code of a raw answer, or -1 if there was none. */
  public static int status(String answer) {
    if (!answer.startsWith("HTTP/1.")) {
      return -1;
    }
    return Integer.parseInt(answer.substring(9, 12));
  }

  private static String readUntilQuiet(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        read.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException quiet) {
      // the server keeps the connection open: what it wrote so far is the answer
    } catch (IOException reset) {
      // a reset after the answer: keep what was read
    }
    return read.toString(StandardCharsets.UTF_8);
  }
}
