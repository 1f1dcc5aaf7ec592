package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshcode dashboard} end to end: the link the CLI hands the browser is opened in Debian's
 * chromium, headless, driven by playwright-core (src/test/node/dashboard.mjs, run by
 * {@link BrowserScript}), from the real gateway, and the page's own script signs in, renders the
 * team and follows it live, against the real mesh. The data is made here through the public API;
 * the script's checks are assertions, and its report is asserted on here.
 */
@DisplayName("The dashboard in a browser, signed in by meshcode dashboard")
class DashboardBrowserIT {

  private static final String HOSTILE_ROLE = "<img src=x onerror=\"window.pwned=1\">reviewer";

  @TempDir
  Path root;

  @Test
  @DisplayName("the page signs in with the CLI's ticket, drops it from the URL, shows the team live, and signs out")
  void signsInAndFollowsLive() throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Ada");
    String project = mesh.project(owner, "dash", "api", "web");
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents", owner,
        new JsonObject().put("name", "evil").put("role", HOSTILE_ROLE));
    JsonObject guest = mesh.join(owner, project, "web", "Gus");

    JsonObject report = BrowserScript.run("dashboard.mjs", Map.of(
        "MESHCODE_SERVER", mesh.url(),
        "OWNER_KEY", owner,
        "PROJECT", project,
        "HOSTILE_ROLE", HOSTILE_ROLE,
        "OWNER_URL", openedLink(mesh, owner, project),
        "GUEST_URL", openedLink(mesh, guest.getString("key"), null),
        "GUEST_MEMBER_ID", guest.getString("member_id")));
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
}
