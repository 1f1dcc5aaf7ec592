package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.NodeScripts;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node script of src/test/node that drives Debian's chromium headless through playwright-core
 * (see browser.mjs there), run from a test: {@code BrowserScript.run("dashboard.mjs", env)}
 * answers the JSON report the script prints as its last stdout line, and fails the test when the
 * script fails (a broken assertion, or an error in a page's console), when it outlives its
 * timeout, or when it leaves a chromium process behind.
 *
 * <p>The first run installs the scripts and their locked npm packages into target/node-dashboard
 * with {@code npm ci} (again only when the lock file changes; Playwright's own browser downloads
 * are off). Screenshots go to target/dashboard-screenshots. Needs node 20+ and npm, the npm
 * registry for the first install, and Debian's {@code chromium}: a missing chromium fails the test
 * (it is never skipped), and {@code .ci/run} installs it.
 */
final class BrowserScript {

  private static final Path SOURCES = Path.of(System.getProperty("meshcode.node.sources", "src/test/node"));
  private static final Path DIR = Path.of(System.getProperty("meshcode.node.dir", "target/node-dashboard"));
  private static final Path SCREENSHOTS = Path.of(System.getProperty("meshcode.screenshots", "target/dashboard-screenshots"));
  private static final int TIMEOUT_SECONDS = 300;

  private static boolean installed;

  private BrowserScript() {}

  /** Runs {@code script} (a file of src/test/node) with {@code env} added; answers its report. */
  static JsonObject run(String script, Map<String, String> env) throws Exception {
    return run(script, env, TIMEOUT_SECONDS);
  }

  static JsonObject run(String script, Map<String, String> env, int timeoutSeconds) throws Exception {
    Path chromium = chromium();
    Path dir = install();
    // Chromium's profile and crash folder go under this run's own folder (short: chromium puts a
    // socket there): a process that names it after the script is an orphan.
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "meshcode-browser-");
    ProcessBuilder node = new ProcessBuilder("node", dir.resolve(script).toString()).directory(dir.toFile());
    node.environment().remove("DISPLAY"); // headless, as in CI: no display, whatever the developer's shell has
    node.environment().remove("WAYLAND_DISPLAY");
    node.environment().put("CHROMIUM", chromium.toString());
    node.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
    node.environment().put("TMPDIR", tmp.toString());
    node.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    node.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    node.environment().putAll(env);
    NodeScripts.Run run;
    try {
      run = NodeScripts.run(node, timeoutSeconds);
    } catch (AssertionError timedOut) {
      orphans(tmp).forEach(ProcessHandle::destroyForcibly); // node was killed: its browser was not
      throw timedOut;
    }
    List<ProcessHandle> orphans = orphans(tmp);
    orphans.forEach(ProcessHandle::destroyForcibly);
    assertThat(orphans).as("chromium processes left running by %s", script).isEmpty();
    deleteQuietly(tmp);
    assertThat(run.exitCode()).as("node %s failed:\n--- stdout\n%s\n--- stderr\n%s", script, run.stdout(), run.stderr()).isZero();
    String[] lines = run.stdout().strip().split("\n");
    JsonObject report = new JsonObject(lines[lines.length - 1]);
    System.out.println("browser: " + script + " timings " + report.getJsonObject("timings") + ", expected errors "
        + report.getJsonArray("expectedErrors"));
    return report;
  }

  /** Debian's chromium: $CHROMIUM, else {@code chromium} on the PATH, else /usr/bin/chromium; fails the test when there is none. */
  static Path chromium() {
    String configured = System.getenv("CHROMIUM");
    Stream<Path> candidates = Stream.concat(
        configured == null ? Stream.empty() : Stream.of(Path.of(configured)),
        Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry, "chromium")), Stream.of(Path.of("/usr/bin/chromium"))));
    return candidates.filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
        "Debian's chromium is not installed (no $CHROMIUM, no chromium on the PATH, no /usr/bin/chromium): the dashboard's"
            + " browser tests need it. .ci/run installs it when it is missing; by hand: apt-get install chromium"));
  }

  /** Copies every script of src/test/node into target/node-dashboard and installs their locked packages, once per JVM. */
  private static synchronized Path install() throws Exception {
    if (!installed) {
      List<String> scripts;
      try (Stream<Path> files = Files.list(SOURCES)) {
        scripts = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".mjs")).sorted().toList();
      }
      NodeScripts.install(SOURCES, DIR, scripts, Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
      installed = true;
    }
    return DIR;
  }

  /** The live processes whose command line names {@code tmp}, once the script's browser had 5 s to exit. */
  private static List<ProcessHandle> orphans(Path tmp) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (;;) {
      List<ProcessHandle> left = ProcessHandle.allProcesses()
          .filter(process -> process.info().commandLine().map(line -> line.contains(tmp.toString())).orElse(false))
          .toList();
      if (left.isEmpty() || System.nanoTime() > deadline) {
        return left;
      }
      Thread.sleep(100);
    }
  }

  private static void deleteQuietly(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  static Path screenshots() {
    return SCREENSHOTS;
  }
}
