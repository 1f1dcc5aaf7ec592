package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's panels in Debian's chromium, headless (src/test/node/*.mjs, run by
 * {@link BrowserScript}), against the real mesh: the data is made here through the public API,
 * what happens while the page is open is done by the scripts through the same API, and each
 * script's checks are assertions whose report is asserted on here. Screenshots of every panel at
 * 1280×800 and 390×844 go to target/dashboard-screenshots.
 */
@DisplayName("The dashboard's panels in a real browser")
class DashboardPanelsIT {

  private static final String HOSTILE_ROLE = "<img src=x onerror=\"window.pwned=1\">reviewer";

  /** A meshwork with lead (commander), api, web (Gus's slot) and evil, a memory of api's, a task, two messages and a linked meshwork. */
  private static String team(TestMesh mesh, String owner) {
    String project = mesh.project(owner, "panels", "api", "web");
    String partner = mesh.project(owner, "partner", "scout");
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/links", owner, new JsonObject().put("target", partner));
    mesh.join(owner, project, "web", "Gus");
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents", owner, new JsonObject().put("name", "lead").put("role", "commander"));
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents", owner, new JsonObject().put("name", "evil").put("role", HOSTILE_ROLE));
    mesh.expect(200, "PUT", "/v1/meshworks/" + project + "/agents/api/memory/goal", owner, new JsonObject().put("value", "ship"));
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/tasks", owner, new JsonObject().put("title", "Write the docs").put("assignee", "web"));
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents/api/messages", owner, new JsonObject().put("to", "web").put("text", "hello web"));
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents/web/messages", owner, new JsonObject().put("to", "api").put("text", "hello api"));
    return project;
  }

  /** The environment every script reads: the server, an owner key and its meshwork. */
  private static Map<String, String> env(TestMesh mesh, String owner, String project) {
    return Map.of("MESHCODE_SERVER", mesh.url(), "OWNER_KEY", owner, "PROJECT", project, "HOSTILE_ROLE", HOSTILE_ROLE);
  }

  /** Runs a script against a new owner's {@link #team}; answers the checks it reported. */
  private static List<Object> checksOnTeam(String script) throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Ada");
    return BrowserScript.run(script, env(mesh, owner, team(mesh, owner))).getJsonArray("checks").stream().toList();
  }

  @Test
  @DisplayName("every panel shows the team's data, and follows what agents and the owner do, live")
  void panels() throws Exception {
    assertThat(checksOnTeam("panels.mjs")).containsExactly("agent cards", "status live on card and node",
        "message live, edge lit, delivery states", "hierarchy, lead, linked meshworks", "threads and broadcasts", "owner sends as the person",
        "tasks: create, claim live, edit and reassign, close", "memory edit, delete and scratchpad read back, limits refused with the server's message",
        "replay", "screenshots", "meshwork switcher");
  }

  @Test
  @DisplayName("a spectator link opens the dashboard read-only with no sign-in, and a revoked one stops and says so")
  void spectator() throws Exception {
    assertThat(checksOnTeam("spectator.mjs")).containsExactly("link made and copied", "read-only page, no write controls",
        "writes refused", "live", "moment shared from the spectator page", "revoked: stops and says so", "revoked link refused on open");
  }

  @Test
  @DisplayName("keyboard-only use reaches every control of every panel, with visible focus")
  void keyboard() throws Exception {
    assertThat(checksOnTeam("keyboard.mjs")).containsExactly("every control reached, focus visible", "dialog by keyboard");
  }

  @Test
  @DisplayName("the onboarding checklist ticks each step as it happens")
  void onboarding() throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Newcomer");
    String project = mesh.project(owner, "first", "first");
    JsonObject report = BrowserScript.run("onboarding.mjs", env(mesh, owner, project));
    assertThat(report.getJsonArray("checks").stream().toList()).containsExactly("four steps, one done", "cli ticks", "agent ticks",
        "message ticks", "hidden and reopened", "done: hidden until reopened", "new meshwork listed");
  }

  @Test
  @DisplayName("a dropped stream shows a banner and resumes without a gap; a burst keeps the page responsive and bounded")
  void live() throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Ada");
    String project = mesh.project(owner, "live", "api", "web");
    Map<String, String> env = new java.util.HashMap<>(env(mesh, owner, project));
    env.put("BURST_RATE", System.getProperty("meshcode.burst.rate", "200"));
    env.put("BURST_SECONDS", System.getProperty("meshcode.burst.seconds", "60"));
    JsonObject report = BrowserScript.run("live.mjs", env, 600);
    System.out.println("dashboard burst: " + report.getJsonObject("burst"));
    assertThat(report.getJsonArray("checks").stream().toList()).containsExactly("disconnected banner, resumed without a gap", "burst: responsive, bounded");
  }

  @Test
  @DisplayName("a meshwork of 50 agents and 10,000 messages opens complete (cards, graph, last 50 messages); the time is reported")
  void firstPaint() throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Ada");
    int agents = Integer.getInteger("meshcode.paint.agents", 50);
    DashboardData.Seeded seeded = DashboardData.seed(mesh, owner, agents, Integer.getInteger("meshcode.paint.messages", 10_000));
    JsonObject report = BrowserScript.run("first-paint.mjs", Map.of("MESHCODE_SERVER", mesh.url(), "OWNER_KEY", owner,
        "PROJECT", seeded.meshwork(), "AGENTS", String.valueOf(agents)), 600);
    System.out.println("dashboard first paint (" + agents + " agents, " + seeded.messages() + " messages, seeded in "
        + seeded.millis() + " ms): " + report.getJsonObject("firstPaint") + ", own bytes " + report.getInteger("ownBytes"));
    assertThat(report.getJsonArray("checks").stream().toList()).containsExactly("complete paint measured", "paged back on scroll");
  }
}
