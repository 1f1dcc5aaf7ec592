package io.meshcode.cli;

import io.meshcode.platform.Os;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.testkit.TestHttp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Messages, the board, the Stop hook and the dashboard")
class MessagingIT {

  private static TestMesh mesh;

  @TempDir
  Path root;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private Cli cli(String key) {
    return new Cli(root, mesh.url()).env("MESHCODE_API_KEY", key);
  }

  @Test
  @DisplayName("send (legacy) delivers JSON; read shows it without changing it, --ack marks it read")
  void sendAndRead() {
    String owner = mesh.newOwner("Ada");
    String project = mesh.project(owner, "msg", "alice", "bob");
    Cli cli = cli(owner);
    Cli.Result sent = cli.run("send", project, "alice:bob", "{\"text\":\"tests pass\",\"pr\":42}");
    assertThat(sent.exit()).as(sent.toString()).isZero();
    assertThat(sent.out()).containsPattern("Sent [0-9a-f-]{36} from alice to bob: queued \\(offline\\)\\.");
    assertThat(cli.run("send", project, "alice:bob", "{\"kind\":\"note\"}").exit()).isZero();

    Cli.Result read = cli.run("read", project, "bob");
    assertThat(read.exit()).isZero();
    assertThat(read.out()).contains("alice → bob").contains("  tests pass\n  data: {\"pr\":42}").contains("{\"kind\":\"note\"}");
    Cli.Result json = cli.run("read", project, "bob", "--json", "--ack");
    JsonMap answer = Json.parseObject(json.out());
    assertThat(answer.objects("messages")).hasSize(2);
    assertThat(answer.number("acked", -1)).isEqualTo(2);
    assertThat(cli.run("read", project, "bob").out()).isEqualTo("No unread messages for " + project + "/bob.\n");

    Cli.Result unknown = cli.run("send", project, "alice:carol", "{\"text\":\"hi\"}");
    assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(unknown.err()).contains("carol");
    Cli.Result notJson = cli.run("send", project, "alice:bob", "hello");
    assertThat(notJson.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(notJson.err()).contains("the message is not JSON");
    assertThat(cli.run("send", project, "alice-bob", "{}").exit()).isEqualTo(ExitCode.USAGE);
    Cli.Result typo = cli.run("read", project, "bobb");
    assertThat(typo.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(typo.err()).contains("agent 'bobb' not found").contains("did you mean: bob?");
  }

  @Test
  @DisplayName("board --once shows each agent's role, status and last seen, as a table or JSON")
  void boardOnce() {
    String owner = mesh.newOwner("Grace");
    String project = mesh.project(owner, "board", "api", "web");
    mesh.openSession(owner, project, "api");
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/tasks", owner,
        new JsonObject().put("title", "Add the orders endpoint").put("status", "in_progress").put("assignee", "api"));
    Cli cli = cli(owner);
    Cli.Result table = cli.run("board", project, "--once");
    assertThat(table.exit()).as(table.toString()).isZero();
    assertThat(table.out()).containsPattern("AGENT\\s+ROLE\\s+STATUS\\s+LAST SEEN\\s+CURRENT TASK")
        .containsPattern("api\\s+api work\\s+online\\s+\\d+ s ago\\s+Add the orders endpoint").containsPattern("web\\s+web work\\s+offline\\s+never");
    JsonMap json = Json.parseObject(cli.run("board", project, "--once", "--json").out());
    assertThat(json.string("project")).isEqualTo(project);
    assertThat(json.objects("agents").stream().map(a -> a.string("name") + "=" + a.string("status")).toList())
        .containsExactly("api=online", "web=offline");
    assertThat(json.objects("agents").get(0).string("current_task")).isEqualTo("Add the orders endpoint");
  }

  @Test
  @DisplayName("the live board prints a new snapshot when the stream reports a change")
  void boardLive() throws Exception {
    String owner = mesh.newOwner("Linus");
    String project = mesh.project(owner, "live", "api");
    StringWriter out = new StringWriter();
    Cli cli = cli(owner);
    CompletableFuture<Integer> board = new CompletableFuture<>();
    Thread thread = new Thread(() -> board.complete(MeshcodeCommand.run(cli.environment(), new ByteArrayInputStream(new byte[0]),
        new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "board", project, "--json")));
    thread.start();
    try {
      awaitOutput(out, "\"status\":\"offline\"", Duration.ofSeconds(20));
      // The board subscribes as soon as its stream is open, then reads a snapshot: from here on a
      // change reaches it through the stream or, made before the subscription took, in that snapshot.
      awaitOpenStream(Duration.ofSeconds(20));
      mesh.openSession(owner, project, "api");
      awaitOutput(out, "\"status\":\"online\"", Duration.ofSeconds(20));
    } finally {
      thread.interrupt();
    }
    assertThat(board.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).contains("\"status\":\"offline\"");
    assertThat(lines.get(lines.size() - 1)).contains("\"status\":\"online\"");
  }

  /** Until the gateway counts an open stream (the board's), read from its metrics with the admin's key. */
  private static void awaitOpenStream(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String metrics = TestHttp.call(mesh.port(), "GET", "/metrics", mesh.adminKey, null).body();
      if (metrics.lines().anyMatch(line -> line.startsWith("meshcode_streams_open") && !line.endsWith(" 0.0"))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no open stream within " + timeout + " in the gateway's metrics:\n" + metrics);
      }
      Thread.sleep(50);
    }
  }

  private static void awaitOutput(StringWriter out, String wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!out.toString().contains(wanted)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + wanted + "' within " + timeout + " in:\n" + out);
      }
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName("the Stop hook blocks while the agent has unread messages, and lets it stop once they are read")
  void stopHook() {
    String owner = mesh.newOwner("Hook");
    String project = mesh.project(owner, "hook", "alice", "bob");
    Cli cli = cli(owner);
    Cli.Result idle = cli.stdin("{\"stop_hook_active\":false}").run("hook", "stop", "--project", project, "--agent", "bob", "--server", mesh.url());
    assertThat(idle.exit()).isZero();
    assertThat(idle.out()).isEmpty();

    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents/alice/messages", owner,
        new JsonObject().put("to", "bob").put("text", "review please"));
    Cli.Result blocked = cli.stdin("{\"stop_hook_active\":false}").run("hook", "stop", "--project", project, "--agent", "bob");
    assertThat(blocked.exit()).isZero();
    JsonMap decision = Json.parseObject(blocked.out());
    assertThat(decision.string("decision")).isEqualTo("block");
    assertThat(decision.string("reason")).startsWith("You have 1 unread MeshCode message. Call meshcode_wait");

    // An agent that keeps stopping without reading is let go after three reminders.
    for (int i = 0; i < 2; i++) {
      assertThat(cli.stdin("{\"stop_hook_active\":true}").run("hook", "stop", "-p", project, "-a", "bob").out()).contains("block");
    }
    Cli.Result released = cli.stdin("{\"stop_hook_active\":true}").run("hook", "stop", "-p", project, "-a", "bob");
    assertThat(released.out()).isEmpty();
    assertThat(released.err()).contains("letting the agent stop");

    Cli.Result unknownOption = cli.run("hook", "stop", "--from-a-newer-version", "x");
    assertThat(unknownOption.exit()).as("never 2, which would make Claude Code loop").isZero();
    assertThat(unknownOption.err()).contains("letting the agent stop");

    Cli.Result down = new Cli(root.resolve("down"), "http://127.0.0.1:9").env("MESHCODE_API_KEY", owner)
        .run("hook", "stop", "-p", project, "-a", "bob");
    assertThat(down.exit()).isZero();
    assertThat(down.out()).isEmpty();
    assertThat(down.err()).contains("cannot check for messages");
  }

  @Test
  @DisplayName("dashboard opens the browser ($BROWSER, rundll32 on Windows, else xdg-open) on a one-time ticket link, or prints it; the ticket signs in once, as its holder")
  void dashboard() {
    String owner = mesh.newOwner("Dash");
    String project = mesh.project(owner, "dash", "a");
    String guest = mesh.join(owner, project, "a", "Gus").getString("key");

    Cli cli = cli(guest);
    Cli.Result printed = cli.run("dashboard", project, "--print");
    assertThat(printed.exit()).as(printed.toString()).isZero();
    String url = printed.out().strip();
    assertThat(url).startsWith(mesh.url() + "/dashboard#ticket=mc_tk_").endsWith("&project=" + project);
    String guestSession = signIn(url, guest);
    assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + project, guestSession, null).getJsonArray("agents").getJsonObject(0)
        .getString("name")).isEqualTo("a");
    mesh.expect(404, "POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", ticket(url)));

    String spectator = mesh.expect(201, "POST", "/v1/meshworks/" + project + "/spectator-links", owner, new JsonObject())
        .getString("token");
    Cli.Result watching = cli(spectator).run("dashboard", "--print");
    assertThat(watching.exit()).as(watching.toString()).isZero();
    signIn(watching.out().strip(), spectator);

    Path browser = cli.fakes().browserCommand();
    Cli.Result opened = cli(owner).env("BROWSER", browser.toString()).run("dashboard", project);
    assertThat(opened.exit()).as(opened.toString()).isZero();
    assertThat(opened.out()).contains("Opened the dashboard in your browser").doesNotContain("mc_tk_");
    List<String> arguments = cli.fakes().log("browser.log").lines().toList();
    assertThat(arguments).hasSize(1);
    assertThat(arguments.get(0)).startsWith(mesh.url() + "/dashboard#ticket=mc_tk_").endsWith("&project=" + project);
    signIn(arguments.get(0), owner);

    cli.fakes().windowsBrowser();
    Cli.Result windows = cli(owner).os(Os.WINDOWS).run("dashboard");
    assertThat(windows.exit()).as(windows.toString()).isZero();
    List<String> rundll = cli.fakes().log("rundll32.log").lines().toList();
    assertThat(rundll).hasSize(2);
    assertThat(rundll.get(0)).isEqualTo("url.dll,FileProtocolHandler");
    signIn(rundll.get(1), owner);

    cli.fakes().browser();
    Cli.Result xdg = cli(owner).run("dashboard");
    assertThat(xdg.exit()).as(xdg.toString()).isZero();
    assertThat(cli.fakes().log("xdg-open.log")).startsWith(mesh.url() + "/dashboard#ticket=mc_tk_");

    Cli noBrowser = new Cli(root.resolve("plain"), mesh.url()).env("MESHCODE_API_KEY", owner);
    Cli.Result fallback = noBrowser.run("dashboard");
    assertThat(fallback.exit()).isZero();
    assertThat(fallback.out()).contains("Could not open a browser").contains("/dashboard#ticket=mc_tk_");
  }

  private static String ticket(String url) {
    int start = url.indexOf("ticket=") + 7;
    int end = url.indexOf('&', start);
    return end < 0 ? url.substring(start) : url.substring(start, end);
  }

  /** Redeems the link's ticket as the dashboard does; checks the session acts as {@code key}; answers the session. */
  private static String signIn(String url, String key) {
    JsonObject signedIn = mesh.expect(200, "POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", ticket(url)));
    JsonObject me = mesh.expect(200, "GET", "/v1/me", key, null);
    assertThat(signedIn.getJsonObject("me")).isEqualTo(me);
    String session = signedIn.getString("session");
    assertThat(session).startsWith("mc_ds_");
    assertThat(mesh.expect(200, "GET", "/v1/me", session, null)).isEqualTo(me);
    return session;
  }

  @Test
  @DisplayName("mcp needs a project and an agent, and a key; it writes nothing to stdout, which is the protocol's")
  void mcpArguments() {
    Cli cli = new Cli(root, mesh.url());
    Cli.Result noProject = cli.run("mcp");
    assertThat(noProject.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(noProject.err()).contains("no project: --project <project> (or MESHCODE_PROJECT)");
    assertThat(noProject.out()).isEmpty();
    assertThat(cli.run("mcp", "--project", "p").err()).contains("no agent");
    Cli.Result noKey = cli.run("mcp", "--project", "p", "--agent", "a");
    assertThat(noKey.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(noKey.out()).isEmpty();
    assertThat(cli.env("MESHCODE_MCP_PROGRESS_SECONDS", "soon").env("MESHCODE_API_KEY", "mc_" + "a".repeat(43))
        .run("mcp", "-p", "p", "-a", "a").err()).contains("MESHCODE_MCP_PROGRESS_SECONDS must be a number");
  }
}
