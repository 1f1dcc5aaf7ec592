package io.meshcode.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/** Small helpers shared by the embedded servers. */
final class Support {

  static final String LOOPBACK = "127.0.0.1";

  private Support() {
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    }
  }

  /** Surefire may point java.io.tmpdir at a folder nobody created; zonky and Kafka's native libraries write there. */
  static Path ensureTmpDir() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * The last {@code maxLines} lines of {@code file} from byte {@code offset} on, or a note if
   * unreadable. Stack frames are left out: the exception messages say more in few lines.
   */
  static String tail(Path file, long offset, int maxLines) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long from = Math.max(offset, size - 64 * 1024);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, size - from));
      channel.read(buffer, from);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      Deque<String> lines = new ArrayDeque<>();
      for (String line : text.split("\\R")) {
        if (line.startsWith("\tat ") || line.startsWith("\t... ")) {
          continue;
        }
        lines.addLast(line);
        if (lines.size() > maxLines) {
          lines.removeFirst();
        }
      }
      return String.join(System.lineSeparator(), lines);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Removes a JVM shutdown hook unless the JVM is already shutting down (then it is running or ran). */
  static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Nothing to undo.
    }
  }
}
