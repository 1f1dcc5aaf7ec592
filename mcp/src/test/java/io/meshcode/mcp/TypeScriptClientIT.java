package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.NodeScripts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  @Test
  @DisplayName("two agents exchange messages; progress, cancellation, bad arguments and presence hold; an unknown agent fails initialize")
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
    NodeScripts.Run run = NodeScripts.run(node, 180);
    assertThat(run.exitCode()).as("node client.mjs failed:\n%s\n%s", run.stdout(), run.stderr()).isZero();

    String[] lines = run.stdout().strip().split("\n");
    JsonNode report = Json.parse(lines[lines.length - 1]);
    assertThat(report.path("tools").asInt()).isEqualTo(22);
    assertThat(report.path("toolsListBytes").asInt()).isLessThan(8 * 1024);
    List<String> checks = new ArrayList<>();
    report.path("checks").forEach(c -> checks.add(c.asString()));
    assertThat(report.path("called")).hasSize(ToolCatalogTest.EXPECTED.size());
    assertThat(checks).containsExactly("tools listed", "instructions", "request and reply", "progress while parked",
        "cancellation", "bad arguments", "broadcast, inbox, status", "every tool", "closed", "unknown agent refused");
  }

  /** Copies the scripts into target/node-client and installs their locked dependencies if they changed. */
  private static Path installClient() throws Exception {
    return NodeScripts.install(Path.of(System.getProperty("meshcode.node.sources", "src/test/node")),
        Path.of(System.getProperty("meshcode.node.client", "target/node-client")), List.of("client.mjs"));
  }
}
