package io.meshcode.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@link ParentMain} in its own JVM on the test classpath. */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final long serverPid;

  private ChildJvm(Process process, long serverPid) {
    this.process = process;
    this.serverPid = serverPid;
  }

  static ChildJvm start(String mode, Path dataDir, Path logFile) throws IOException {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"),
        ParentMain.class.getName(), mode, dataDir.toString());
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(ParentMain.READY)) {
        return new ChildJvm(process, Long.parseLong(line.substring(ParentMain.READY.length()).trim()));
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("Child JVM exited before it was ready; see " + logFile);
  }

  long serverPid() {
    return serverPid;
  }

  /** SIGKILL: no shutdown hooks run. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
