package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local mesh run the way the README's command runs it: {@code java -jar meshcode-local.jar},
 * a separate process with its own environment, read through its output.
 */
final class LocalMeshProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "meshcode-local.jar");
  private static final Pattern GATEWAY = Pattern.compile("Gateway:\\s+(http://\\S+)");
  private static final Pattern OWNER_KEY = Pattern.compile("Owner key:\\s+(mc_\\w+)");

  private final Process process;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private LocalMeshProcess(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process ended.
      }
    }, "local-mesh-output");
    reader.setDaemon(true);
    reader.start();
  }

  static LocalMeshProcess start(Path home, Map<String, String> env, String... args) throws IOException {
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("MESHCODE_PORT");
    builder.environment().remove("MESHCODE_BOOTSTRAP_KEY");
    builder.environment().put("MESHCODE_HOME", home.toString());
    builder.environment().put("MESHCODE_LOG_LEVEL", "warn");
    builder.environment().putAll(env);
    return new LocalMeshProcess(builder.start());
  }

  /** Waits until the banner shows the gateway URL and owner key. */
  void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains("Press Ctrl-C to stop.")) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the mesh exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the mesh did not start within " + timeout + ":\n" + output());
  }

  /** The exit code, once all the mesh wrote has been read. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the mesh did not exit within " + timeout + ":\n" + output());
    }
    // Its output pipe is closed now (what it starts writes elsewhere): the reader ends at its end.
    reader.join(timeout.toMillis());
    assertThat(reader.isAlive()).as("the mesh's output read to its end").isFalse();
    return process.exitValue();
  }

  String gatewayUrl() {
    return find(GATEWAY);
  }

  String ownerKey() {
    return find(OWNER_KEY);
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * SIGTERM, as Kubernetes and a plain {@code kill} send. Through the handle: {@code Process.destroy()}
   * would also close our end of the output pipe, losing what the mesh prints while it stops.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  private String find(Pattern pattern) {
    Matcher matcher = pattern.matcher(output());
    if (!matcher.find()) {
      throw new AssertionError("no " + pattern + " in:\n" + output());
    }
    return matcher.group(1);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
