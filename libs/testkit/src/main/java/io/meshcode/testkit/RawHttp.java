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
    return exchange(port, request, QUIET_MS);
  }

  /**
   * The whole answer to {@code request}, waiting at most {@code quietMs} for each read. A server
   * that answers and closes before the whole request is written (a 413) still has its answer read.
   */
  public static String exchange(int port, byte[] request, int quietMs) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(quietMs);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException closedEarly) {
        // the server stopped reading: what it answered is still to be read
      }
      return readUntilQuiet(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("raw request to port " + port + " failed", e);
    }
  }

  /**
   * The first answer to {@code request}, read until it is whole (by its Content-Length or last
   * chunk), the server closes, or {@code timeoutMs} passes; "" if none began. Whether the server
   * then keeps the connection is not waited for.
   */
  public static String firstAnswer(int port, byte[] request, int timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(100);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException closedEarly) {
        // the server stopped reading: what it answered is still to be read
      }
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      InputStream in = socket.getInputStream();
      while (System.nanoTime() < deadline && !whole(read.toByteArray())) {
        try {
          int n = in.read(chunk);
          if (n < 0) {
            break;
          }
          read.write(chunk, 0, n);
        } catch (SocketTimeoutException notYet) {
          // keep waiting until the deadline
        } catch (IOException reset) {
          break;
        }
      }
      return read.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("raw request to port " + port + " failed", e);
    }
  }

  /** Whether {@code answer} holds a whole response: its head, and all of the body its head announces. */
  private static boolean whole(byte[] answer) {
    String text = new String(answer, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    int body = answer.length - headEnd - 4;
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
    if (length.find()) {
      return body >= Long.parseLong(length.group(1));
    }
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      return text.endsWith("\r\n0\r\n\r\n") || text.substring(headEnd + 4).startsWith("0\r\n\r\n");
    }
    return false;
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
