package io.meshcode.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test scripts run by node, from a module's {@code src/test/node}: an npm project whose
 * dependencies are pinned in its package-lock.json. Its files are copied into a folder under
 * target/ and installed there with {@code npm ci}, again only when the lock file changed. Needs
 * node 18+ and npm on the PATH, and the npm registry reachable for the first install.
 */
public final class NodeScripts {

  private static final boolean WINDOWS = System.getProperty("os.name").toLowerCase().contains("win");

  /** What a finished process printed, and how it ended. */
  public record Run(int exitCode, String stdout, String stderr) {}

  private NodeScripts() {}

  /** Copies package.json, package-lock.json and {@code scripts} from {@code sources} into {@code dir}, installed; answers {@code dir}. */
  public static Path install(Path sources, Path dir, List<String> scripts) throws Exception {
    return install(sources, dir, scripts, Map.of());
  }

  /** As {@link #install(Path, Path, List)}, with {@code env} added to npm's environment. */
  public static Path install(Path sources, Path dir, List<String> scripts, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    for (String file : concat(List.of("package.json", "package-lock.json"), scripts)) {
      Files.copy(sources.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path stamp = dir.resolve("node_modules").resolve(".meshcode-installed.lock");
    String lock = Files.readString(dir.resolve("package-lock.json"));
    if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
      ProcessBuilder npm = new ProcessBuilder(WINDOWS ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(dir.toFile());
      npm.environment().putAll(env);
      Run install = run(npm, 600);
      if (install.exitCode() != 0) {
        throw new AssertionError("npm ci failed (node and npm must be installed and the registry reachable):\n"
            + install.stdout() + "\n" + install.stderr());
      }
      Files.writeString(stamp, lock);
    }
    return dir;
  }

  /** Runs {@code builder} with no input to its end, or fails the test after {@code timeoutSeconds}. */
  public static Run run(ProcessBuilder builder, int timeoutSeconds) throws Exception {
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + builder.command().get(0) + ": node and npm must be on the PATH", e);
    }
    process.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(builder.command() + " did not finish within " + timeoutSeconds + " s:\n" + err.getNow(""));
    }
    return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
