package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("go, setup and run: workspaces, MCP configs and editors")
class AgentWorkspaceIT {

  private static TestMesh mesh;

  @TempDir
  Path root;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  /** A logged-in owner with every fake editor on the PATH. */
  private Cli owner(String name) {
    Cli cli = new Cli(root, mesh.url());
    cli.fakes().secretTool().allEditors();
    Cli.Result login = cli.run("login", mesh.newOwner(name));
    assertThat(login.exit()).as(login.toString()).isZero();
    return cli;
  }

  private static JsonMap json(Path file) throws IOException {
    return Json.parseObject(Files.readString(file));
  }

  @Test
  @DisplayName("go creates the project and agent, writes Claude Code's config and Stop hook, launches claude in the workspace; again is safe")
  void goWithClaudeCode() throws Exception {
    Cli cli = owner("Ada");
    String project = TestMesh.name("shop");
    Cli.Result go = cli.run("go", "backend", "--project", project, "--role", "API and database");
    assertThat(go.exit()).as(go.toString()).isZero();
    assertThat(go.out()).contains("Created project '" + project + "'.").contains("Added agent 'backend'")
        .contains("Opening Claude Code for " + project + "/backend");
    Path workspace = cli.workspace(project, "backend");

    String log = cli.fakes().log("claude.log");
    assertThat(log).contains("cwd=" + workspace).contains("server=" + mesh.url())
        .contains("arg=--mcp-config\narg=.mcp.json\n").contains("You are backend, an agent of the MeshCode project '" + project
            + "' (API and database)").contains("meshcode_wait");
    JsonMap given = Json.parseObject(cli.fakes().log("claude.config.json"));
    JsonMap entry = given.object("mcpServers").object("meshcode");
    assertThat(entry.get("args")).isEqualTo(List.of("mcp", "--project", project, "--agent", "backend", "--client", "claude-code"));
    assertThat(entry.object("env").string("MESHCODE_SERVER")).isEqualTo(mesh.url());
    assertThat(given.toString()).doesNotContain("mc_");

    JsonMap settings = json(workspace.resolve(".claude/settings.json"));
    String hook = settings.object("hooks").objects("Stop").get(0).objects("hooks").get(0).string("command");
    assertThat(hook).endsWith("hook stop --project " + project + " --agent backend --server " + mesh.url());
    assertThat(settings.get("enabledMcpjsonServers")).isEqualTo(List.of("meshcode"));

    JsonObject read = mesh.expect(200, "GET", "/v1/meshworks/" + project, cli.fakes().keyringSecrets().get(0), null);
    assertThat(read.getJsonArray("agents").getJsonObject(0).getString("role")).isEqualTo("API and database");

    Cli.Result again = cli.run("go", "backend", "--project", project);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out()).doesNotContain("Created").doesNotContain("Added").contains("Workspace:  " + workspace);
    assertThat(json(workspace.resolve(".claude/settings.json")).object("hooks").objects("Stop")).hasSize(1);
  }

  @Test
  @DisplayName("go finds the project by itself: the only one, the one with the agent, or a new one named after the folder")
  void goFindsTheProject() throws Exception {
    Cli cli = owner("Grace");
    Path folder = cli.home().resolve("Billing App");
    Files.createDirectories(folder);
    Cli.Result first = cli.cwd(folder).run("go", "api");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.out()).contains("Created project 'billing-app'.");

    String other = TestMesh.name("other");
    assertThat(cli.run("go", "web", "--project", other).exit()).isZero();
    Cli.Result byAgent = cli.run("run", "api");
    assertThat(byAgent.exit()).as(byAgent.toString()).isZero();
    assertThat(byAgent.out()).contains("Opening Claude Code for billing-app/api");
    Cli.Result ambiguous = cli.run("go", "docs");
    assertThat(ambiguous.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(ambiguous.err()).contains("agent 'docs' could be in more than one project: name it with --project (billing-app, " + other + ")");
    Cli.Result inWorkspace = cli.cwd(cli.workspace(other, "web")).run("run", "web");
    assertThat(inWorkspace.out()).contains("Opening Claude Code for " + other + "/web");
  }

  @Test
  @DisplayName("MESHCODE_EDITOR forces Cursor, VS Code, Windsurf or Codex: each gets its own config file, launched on the workspace")
  void otherEditors() throws Exception {
    Cli cli = owner("Linus");
    String owner = cli.fakes().keyringSecrets().get(0);
    String project = mesh.project(owner, "ed", "a1");
    record Case(String editor, String command, String file, String field) {}
    for (Case c : List.of(new Case("cursor", "cursor", ".cursor/mcp.json", "mcpServers"),
        new Case("vscode", "code", ".vscode/mcp.json", "servers"),
        new Case("windsurf", "windsurf", ".windsurf/mcp.json", "mcpServers"),
        new Case("codex", "codex", ".meshcode.json", "mcpServers"))) {
      Cli.Result run = cli.env("MESHCODE_EDITOR", c.editor()).run("run", "a1", "-p", project);
      assertThat(run.exit()).as(c.editor() + ": " + run).isZero();
      Path workspace = cli.workspace(project, "a1");
      JsonMap entry = json(workspace.resolve(c.file())).object(c.field()).object("meshcode");
      assertThat(entry.get("args")).as(c.editor()).isEqualTo(List.of("mcp", "--project", project, "--agent", "a1", "--client", c.editor()));
      assertThat(entry.object("env").string("MESHCODE_SERVER")).isEqualTo(mesh.url());
      assertThat(Json.parseObject(cli.fakes().log(c.command() + ".config.json")).toString()).isEqualTo(json(workspace.resolve(c.file())).toString());
      String log = cli.fakes().log(c.command() + ".log");
      assertThat(log).contains("cwd=" + workspace).contains("server=" + mesh.url());
      if (c.editor().equals("codex")) {
        assertThat(log).contains("arg=mcp_servers.meshcode.args=[\"mcp\", \"--project\", \"" + project + "\"")
            .contains("arg=mcp_servers.meshcode.env={MESHCODE_SERVER = \"" + mesh.url() + "\"}");
      } else {
        assertThat(log).contains("arg=" + workspace);
      }
    }
    assertThat(json(cli.workspace(project, "a1").resolve(".vscode/mcp.json")).object("servers").object("meshcode").string("type"))
        .isEqualTo("stdio");
  }

  @Test
  @DisplayName("Claude Desktop's global config is merged, never clobbered, and backed up")
  void claudeDesktop() throws Exception {
    Cli cli = owner("Desk");
    String owner = cli.fakes().keyringSecrets().get(0);
    String project = mesh.project(owner, "desk", "writer");
    Path config = cli.home().resolve(".config/Claude/claude_desktop_config.json");
    Files.createDirectories(config.getParent());
    String original = "{\"mcpServers\":{\"files\":{\"command\":\"npx\",\"args\":[\"fs\"]}},\"theme\":\"dark\"}";
    Files.writeString(config, original);

    Cli.Result setup = cli.env("MESHCODE_EDITOR", "claude-desktop").run("setup", project, "writer");
    assertThat(setup.exit()).as(setup.toString()).isZero();
    JsonMap merged = json(config);
    assertThat(merged.string("theme")).isEqualTo("dark");
    assertThat(merged.object("mcpServers").object("files").string("command")).isEqualTo("npx");
    assertThat(merged.object("mcpServers").object("meshcode-" + project + "-writer").get("args"))
        .isEqualTo(List.of("mcp", "--project", project, "--agent", "writer", "--client", "claude-desktop"));
    assertThat(Files.readString(config.resolveSibling("claude_desktop_config.json.meshcode-backup"))).isEqualTo(original);

    Files.writeString(config, "{ not json");
    Cli.Result broken = cli.run("setup", project, "writer");
    assertThat(broken.exit()).isEqualTo(ExitCode.FAILURE);
    assertThat(broken.err()).startsWith("meshcode: cannot update " + config + ": ");
    assertThat(broken.err()).contains("cannot update " + config + ": it is not valid JSON (line 1, column 3: unexpected character 'n':"
        + " was expecting double-quote to start property name); fix or move it, then run this again");
    assertThat(Files.readString(config)).isEqualTo("{ not json");
  }

  @Test
  @DisplayName("run recreates a deleted workspace from the server")
  void runRecreates() throws Exception {
    Cli cli = owner("Rita");
    String owner = cli.fakes().keyringSecrets().get(0);
    String project = mesh.project(owner, "re", "qa");
    assertThat(cli.run("setup", project, "qa").exit()).isZero();
    Path workspace = cli.workspace(project, "qa");
    try (var files = Files.walk(workspace)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Cli.Result run = cli.run("run", "qa", "--project", project);
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("No workspace at " + workspace + ": recreating it from the server.");
    assertThat(workspace.resolve(".mcp.json")).exists();
    assertThat(cli.fakes().log("claude.log")).contains("cwd=" + workspace);
  }

  @Test
  @DisplayName("an agent running in another window is refused (exit 6) unless taken over")
  void alreadyRunning() {
    Cli cli = owner("Otto");
    String owner = cli.fakes().keyringSecrets().get(0);
    String project = mesh.project(owner, "busy", "worker");
    mesh.openSession(owner, project, "worker");
    Cli.Result refused = cli.run("run", "worker", "--project", project);
    assertThat(refused.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(refused.err()).startsWith("meshcode: agent already running in another window: " + project + "/worker is online");
    assertThat(cli.fakes().log("claude.log")).isEmpty();
    Cli.Result taken = cli.run("run", "worker", "--project", project, "--take-over");
    assertThat(taken.exit()).as(taken.toString()).isZero();
    assertThat(cli.fakes().log("claude.log")).contains("take_over=1");
  }

  @Test
  @DisplayName("editor not found lists what was looked for (exit 8); an unknown editor name is a usage error")
  void noEditor() throws Exception {
    Cli cli = new Cli(root, mesh.url());
    cli.fakes().secretTool();
    cli.run("login", mesh.newOwner("Nobody"));
    String project = TestMesh.name("none");
    Cli.Result none = cli.run("go", "x", "--project", project);
    assertThat(none.exit()).isEqualTo(ExitCode.NO_EDITOR);
    assertThat(cli.run("projects").out()).as("nothing created").doesNotContain(project);
    assertThat(none.err()).startsWith("meshcode: editor not found: looked for 'claude' on the PATH (Claude Code), 'cursor' on the PATH"
        + " (Cursor), 'code' on the PATH (VS Code + Cline), 'windsurf' on the PATH (Windsurf), 'codex' on the PATH (Codex), its config folder "
        + cli.home().resolve(".config/Claude") + " (Claude Desktop); install one, or name it with --editor or MESHCODE_EDITOR");
    Cli.Result forced = cli.env("MESHCODE_EDITOR", "cursor").run("go", "x", "--project", TestMesh.name("none"));
    assertThat(forced.err()).contains("editor not found: Cursor was chosen (MESHCODE_EDITOR) but 'cursor' on the PATH is not there");
    assertThat(cli.env("MESHCODE_EDITOR", "notepad").run("go", "x").err()).contains("unknown editor 'notepad' in MESHCODE_EDITOR");
  }

  @Test
  @DisplayName("project not found names the closest projects; a guest key used for another project or agent is refused")
  void wrongProjectOrKey() {
    Cli cli = owner("Mia");
    String owner = cli.fakes().keyringSecrets().get(0);
    String project = mesh.project(owner, "webshop", "backend", "frontend");
    String typo = project.replace("webshop", "websop");
    Cli.Result missing = cli.run("setup", typo, "backend");
    assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).isEqualTo("meshcode: project '" + typo + "' not found; did you mean: " + project + "?\n");
    Cli.Result agent = cli.run("setup", project, "backnd");
    assertThat(agent.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(agent.err()).contains("agent 'backnd' not found in project '" + project + "'; did you mean: backend?");

    String otherProject = mesh.project(mesh.newOwner("Else"), "elsewhere", "x");
    String guest = mesh.join(owner, project, "frontend", "Guest").getString("key");
    Cli guestCli = new Cli(root.resolve("guest"), mesh.url()).env("MESHCODE_API_KEY", guest);
    guestCli.fakes().allEditors();
    Cli.Result other = guestCli.run("setup", otherProject, "x");
    assertThat(other.exit()).isEqualTo(ExitCode.OUT_OF_SCOPE);
    assertThat(other.err()).isEqualTo("meshcode: scoped api key cannot access this project: '" + otherProject
        + "' is outside your guest key, which reaches only " + project + "/frontend; meshcode projects lists what your keys reach\n");
    Cli.Result otherAgent = guestCli.run("run", "backend", "--project", project);
    assertThat(otherAgent.exit()).isEqualTo(ExitCode.OUT_OF_SCOPE);
    assertThat(otherAgent.err()).contains("scoped api key cannot access this agent: this guest key acts only as " + project
        + "/frontend; run meshcode go frontend --project " + project);
    Cli.Result own = guestCli.run("go", "frontend");
    assertThat(own.exit()).as(own.toString()).isZero();
    assertThat(own.err()).contains("the key comes from MESHCODE_API_KEY and is not written into the config");
  }
}
