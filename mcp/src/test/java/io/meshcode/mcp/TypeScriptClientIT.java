package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The MCP server driven by the official TypeScript SDK client ({@code @modelcontextprotocol/sdk},
 * pinned in src/test/node/package-lock.json), run by node: the client most editors are built on.
 * The first run installs it with {@code npm ci} into target/node-client; later runs reuse it while
 * the lock file is unchanged. Needs node 18+ and npm on the PATH and the npm registry reachable.
 */
@DisplayName("The MCP server driven by the TypeScript SDK client")
class TypeScriptClientIT {

  private static final boolean WINDOWS = System.getProperty("os.name").toLowerCase().contains("win");

  @Test
  @DisplayName("two agents exchange messages; progress, cancellation, bad arguments and presence hold")
  void typeScriptClient() throws Exception {
    Path client = installClient();
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner();
    Map<String, String> agents = new LinkedHashMap<>();
    agents.put("backend", "API developer");
    agents.put("frontend", "UI");
    String mw = mesh.meshwork(owner, "ts", agents);

    ProcessBuilder node = new ProcessBuilder("node", client.resolve("client.mjs").toString()).directory(client.toFile());
    node.environment().put("MCP_JAVA", McpAgent.java());
    node.environment().put("MCP_JAR", McpAgent.jar().toAbsolutePath().toString());
    node.environment().put("MCP_JVM_FLAGS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m");
    node.environment().put("MESHCODE_SERVER", mesh.url());
    node.environment().put("MESHCODE_API_KEY", owner);
    node.environment().put("MESHCODE_PROJECT", mw);
    Run run = run(node, 180);
    assertThat(run.exitCode()).as("node client.mjs failed:\n%s\n%s", run.stdout(), run.stderr()).isZero();

    String[] lines = run.stdout().strip().split("\n");
    JsonNode report = Json.parse(lines[lines.length - 1]);
    assertThat(report.path("tools").asInt()).isEqualTo(22);
    assertThat(report.path("toolsListBytes").asInt()).isLessThan(8 * 1024);
    List<String> checks = new ArrayList<>();
    report.path("checks").forEach(c -> checks.add(c.asString()));
    assertThat(report.path("called")).hasSize(ToolCatalogTest.EXPECTED.size());
    assertThat(checks).containsExactly("tools listed", "instructions", "request and reply", "progress while parked",
        "cancellation", "bad arguments", "broadcast, inbox, status", "every tool", "closed");
  }

  /** Copies the client into target/node-client and installs its locked dependencies if they changed. */
  private static Path installClient() throws Exception {
    Path sources = Path.of(System.getProperty("meshcode.node.sources", "src/test/node"));
    Path dir = Path.of(System.getProperty("meshcode.node.client", "target/node-client"));
    Files.createDirectories(dir);
    for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
      Files.copy(sources.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path stamp = dir.resolve("node_modules").resolve(".meshcode-installed.lock");
    String lock = Files.readString(dir.resolve("package-lock.json"));
    if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
      Run install = run(new ProcessBuilder(WINDOWS ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(dir.toFile()), 600);
      assertThat(install.exitCode()).as("npm ci failed (node and npm must be installed and the registry reachable):\n%s\n%s",
          install.stdout(), install.stderr()).isZero();
      Files.writeString(stamp, lock);
    }
    return dir;
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run run(ProcessBuilder builder, int timeoutSeconds) throws Exception {
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

  private static String read(java.io.InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
