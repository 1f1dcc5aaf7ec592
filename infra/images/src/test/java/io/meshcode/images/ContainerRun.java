package io.meshcode.images;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command run in an image's root file system the way the Kubernetes manifests run a container:
 * in mount and PID namespaces of its own, the root file system read-only, a fresh writable
 * {@code /tmp} (the manifests' emptyDir), {@code /proc}, the usual devices, the host's
 * {@code /etc/hosts} and {@code /etc/resolv.conf} as a runtime provides them, as the image's user
 * and with only the environment given. It shares the host's network, so a service's port is
 * reached on 127.0.0.1. Needs root, for chroot and the mounts.
 */
final class ContainerRun implements AutoCloseable {

  /** Run by unshare as root in the new namespaces; its last step becomes the container's process 1. */
  private static final String SETUP = """
      set -eu
      mount=$1 chroot=$2 root=$3 user=$4
      shift 4
      "$mount" --bind "$root" "$root"
      "$mount" -o remount,bind,ro "$root"
      "$mount" -t proc proc "$root/proc"
      "$mount" -t tmpfs -o mode=0777,size=64m tmpfs "$root/tmp"
      "$mount" -t tmpfs -o mode=0755,size=64k tmpfs "$root/dev"
      for device in null zero random urandom; do
        : > "$root/dev/$device"
        "$mount" --bind "/dev/$device" "$root/dev/$device"
      done
      for file in hosts resolv.conf; do
        "$mount" --bind "/etc/$file" "$root/etc/$file"
      done
      exec "$chroot" --userspec="$user" "$root" "$@"
      """;
  private static final List<String> MOUNT_POINTS = List.of("proc", "dev", "tmp");
  private static final List<String> MOUNTED_FILES = List.of("etc/hosts", "etc/resolv.conf");

  private final Process process;
  /**
   * The container's process 1, forked by unshare. unshare's {@code --kill-child} cannot be relied
   * on to end it: the kernel clears that signal when chroot changes the user. Killing it ends every
   * process of the container's PID namespace.
   */
  private final Optional<ProcessHandle> init;
  private final Path log;
  private final Thread killAtExit;

  private ContainerRun(Process process, Optional<ProcessHandle> init, Path log) {
    this.process = process;
    this.init = init;
    this.log = log;
    this.killAtExit = new Thread(() -> init.ifPresent(ProcessHandle::destroyForcibly), "container-kill-at-exit");
    Runtime.getRuntime().addShutdownHook(killAtExit);
  }

  /**
   * Skips (visibly) where a container cannot be run this way at all: not Linux, or not root. As
   * root on Linux it must work, so a missing tool or a refused namespace fails with the reason.
   */
  static void requireSupport() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux"), "running an image needs Linux namespaces; this is " + System.getProperty("os.name")
        + " (CI runs it, on Linux as root; ImagesIT checks every image's config and layers everywhere)");
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(uid == 0, "running an image needs root for chroot and mounts (CI runs as root, so it runs there; ImagesIT checks every"
        + " image's config and layers everywhere); this test JVM runs as uid " + uid);
    for (String tool : List.of("unshare", "mount", "chroot")) {
      tool(tool);
    }
    for (String file : List.of("/bin/sh", "/etc/hosts", "/etc/resolv.conf")) {
      if (!Files.exists(Path.of(file))) {
        fail("a container run needs " + file + " on this machine");
      }
    }
    Process probe = new ProcessBuilder(tool("unshare"), "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "-c", "true")
        .redirectErrorStream(true).start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      fail("running as root, yet unshare cannot make mount and PID namespaces here: " + output.strip());
    }
  }

  /** Makes what a runtime mounts over exist in {@code root}, before it is made read-only. */
  static void prepareMountPoints(Path root) throws IOException {
    for (String dir : MOUNT_POINTS) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file : MOUNTED_FILES) {
      Files.createDirectories(root.resolve(file).getParent());
      if (!Files.exists(root.resolve(file))) {
        Files.createFile(root.resolve(file));
      }
    }
  }

  /** Starts {@code command} in {@code root} as {@code user} ("uid:gid"), with exactly {@code env}; its output goes to {@code log}. */
  static ContainerRun start(Path root, String user, Map<String, String> env, List<String> command, Path log)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(tool("unshare"), "--mount", "--pid", "--fork", "--kill-child",
        "/bin/sh", "-c", SETUP, "container-setup", tool("mount"), tool("chroot"), root.toString(), user));
    line.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Optional<ProcessHandle> init = process.toHandle().children().findFirst();
    while (init.isEmpty() && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
      init = process.toHandle().children().findFirst();
    }
    return new ContainerRun(process, init, log);
  }

  /** Waits for the command to end and answers its exit code. */
  int exitCode(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the container did not end within " + timeout + "; its output:\n" + log());
    }
    return process.exitValue();
  }

  /** Waits until the output has a line matching {@code pattern}, and answers the match. */
  Matcher awaitOutput(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher matcher = pattern.matcher(log());
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        fail("the container ended (exit " + process.exitValue() + ") before printing " + pattern + "; its output:\n" + log());
      }
      if (System.nanoTime() > deadline) {
        fail("no " + pattern + " within " + timeout + "; the output:\n" + log());
      }
      Thread.sleep(100);
    }
  }

  /** Sends SIGTERM to the container's process 1, as the kubelet does to stop a pod. */
  void terminate() {
    init.ifPresent(ProcessHandle::destroy);
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    init.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    Runtime.getRuntime().removeShutdownHook(killAtExit);
  }

  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return dir + "/" + name;
      }
    }
    return fail("running as root, yet " + name + " is missing: install util-linux (unshare, mount) and coreutils (chroot)");
  }
}
