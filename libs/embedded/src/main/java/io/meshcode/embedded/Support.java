package io.meshcode.embedded;

import io.meshcode.platform.Os;
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
import java.util.List;

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

  /**
   * Runs {@code "$@"} in a session of its own where there is no {@code setsid} tool (macOS): Perl,
   * which macOS ships, calls setsid() and runs the command in place (the same pid).
   */
  static final String PERL_SETSID =
      "perl -MPOSIX -e 'POSIX::setsid(); exec { $ARGV[0] } @ARGV or die \"cannot run $ARGV[0]: $!\\n\"'";

  /**
   * The command line that starts {@code command} with umask 077 (every file it creates is its
   * owner's alone) and in a session of its own ({@code setsid}, else {@link #PERL_SETSID}), so a
   * Ctrl-C at the terminal reaches only the launcher, which stops its children in its own order.
   * All {@code exec} in place: the process keeps the pid of the one started. On Windows the command
   * as it is: there is no umask (what it creates in a private folder inherits the folder's
   * user-only ACL) and no session to leave.
   */
  static List<String> ownerOnlySession(Os os, List<String> command) {
    if (os == Os.WINDOWS) {
      return List.copyOf(command);
    }
    List<String> line = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
        "umask 077; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\";"
            + " elif command -v perl >/dev/null 2>&1; then exec " + PERL_SETSID + " \"$@\"; else exec \"$@\"; fi", "sh"));
    line.addAll(command);
    return line;
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
