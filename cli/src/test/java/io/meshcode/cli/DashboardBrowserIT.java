package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.NodeScripts;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshcode dashboard} end to end: the link the CLI hands the browser is loaded in jsdom
 * (pinned in src/test/node/package-lock.json) from the real gateway, and the page's own script
 * signs in, renders the team and follows it live, against the real mesh. The first run installs
 * jsdom with {@code npm ci} into target/node-dashboard; later runs reuse it while the lock file is
 * unchanged. Needs node 18+ and npm on the PATH and the npm registry reachable, as the MCP
 * module's TypeScript client test does.
 */
@DisplayName("The dashboard in a browser, signed in by meshcode dashboard")
class DashboardBrowserIT {

  private static final String HOSTILE_ROLE = "<img src=x onerror=\"window.pwned=1\">reviewer";

  @TempDir
  Path root;

  @Test
  @DisplayName("the page signs in with the CLI's ticket, drops it from the URL, shows the team live, and signs out")
  void signsInAndFollowsLive() throws Exception {
    Path browser = installBrowser();
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Ada");
    String project = mesh.project(owner, "dash", "api", "web");
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents", owner,
        new JsonObject().put("name", "evil").put("role", HOSTILE_ROLE));
    JsonObject guest = mesh.join(owner, project, "web", "Gus");

    ProcessBuilder node = new ProcessBuilder("node", browser.resolve("dashboard.mjs").toString()).directory(browser.toFile());
    node.environment().put("MESHCODE_SERVER", mesh.url());
    node.environment().put("OWNER_KEY", owner);
    node.environment().put("PROJECT", project);
    node.environment().put("HOSTILE_ROLE", HOSTILE_ROLE);
    node.environment().put("OWNER_URL", openedLink(mesh, owner, project));
    node.environment().put("GUEST_URL", openedLink(mesh, guest.getString("key"), null));
    node.environment().put("GUEST_MEMBER_ID", guest.getString("member_id"));
    NodeScripts.Run run = NodeScripts.run(node, 120);
    assertThat(run.exitCode()).as("node dashboard.mjs failed:\n%s\n%s", run.stdout(), run.stderr()).isZero();

    String[] lines = run.stdout().strip().split("\n");
    JsonObject report = new JsonObject(lines[lines.length - 1]);
    assertThat(report.getJsonArray("checks").getList()).containsExactly("fragment removed", "session in sessionStorage only",
        "agents rendered", "hostile role shown as text", "presence live", "message live, as text", "signed out",
        "guest signed out by revocation", "ticket used once", "sign-in hint");
    assertThat(report.getJsonArray("agents")).containsExactlyInAnyOrder(
        new JsonObject().put("name", "api").put("role", "api work").put("status", "offline"),
        new JsonObject().put("name", "web").put("role", "web work").put("status", "offline"),
        new JsonObject().put("name", "evil").put("role", HOSTILE_ROLE).put("status", "offline"));
  }

  /** The link {@code meshcode dashboard} hands the browser ($BROWSER, a fake that records it) for this key. */
  private String openedLink(TestMesh mesh, String key, String project) throws IOException {
    Cli cli = new Cli(root.resolve("user-" + key.hashCode()), mesh.url()).env("MESHCODE_API_KEY", key);
    Path fakeBrowser = cli.fakes().browserCommand();
    Cli.Result opened = project == null
        ? cli.env("BROWSER", fakeBrowser.toString()).run("dashboard")
        : cli.env("BROWSER", fakeBrowser.toString()).run("dashboard", project);
    assertThat(opened.exit()).as(opened.toString()).isZero();
    List<String> links = cli.fakes().log("browser.log").lines().toList();
    assertThat(links).hasSize(1);
    return links.get(0);
  }

  /** Copies the scripts into target/node-dashboard and installs their locked dependencies if they changed. */
  private static Path installBrowser() throws Exception {
    return NodeScripts.install(Path.of(System.getProperty("meshcode.node.sources", "src/test/node")),
        Path.of(System.getProperty("meshcode.node.dir", "target/node-dashboard")), List.of("dashboard.mjs"));
  }
}
