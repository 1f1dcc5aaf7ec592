package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A newcomer's first hour: a guest on the wrong project, a bare invite token, a server that is down, --role, workspace folders")
class FirstHourIT {

  private static final Pattern JOIN_LINK = Pattern.compile("(http://\\S+/join/(mc_inv_[A-Za-z0-9]+))");
  private static final String DEAD_SERVER = "http://127.0.0.1:9";

  private static TestMesh mesh;

  @TempDir
  Path root;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private Cli owner(String folder, String key) {
    return mesh.loggedIn(root.resolve(folder), key);
  }

  /** A friend with no server configured who joined {@code project} as {@code agent} with the owner's link. */
  private Cli friend(Cli owner, String project, String agent, String name, String... inviteOptions) {
    Cli friend = new Cli(root.resolve("friend"), null);
    friend.fakes().secretTool().allEditors();
    List<String> invite = new ArrayList<>(List.of("invite", project, agent));
    invite.addAll(List.of(inviteOptions));
    Cli.Result joined = friend.run("join", owner.run(invite.toArray(String[]::new)).find(JOIN_LINK).group(1), "--display-name", name);
    assertThat(joined.exit()).as(joined.toString()).isZero();
    return friend;
  }

  @Test
  @DisplayName("a guest on another project hears 'scoped api key cannot access this project' (exit 9), naming the project it joined; the advice works")
  void guestOnAnotherProject() {
    String ownerKey = mesh.newOwner("Ada");
    Cli owner = owner("owner", ownerKey);
    String project = mesh.project(ownerKey, "shop", "backend");
    String other = mesh.project(mesh.newOwner("Else"), "other", "designer");
    Cli friend = friend(owner, project, "frontend", "Bob");

    String expected = "meshcode: scoped api key cannot access this project: '" + other + "' is outside your guest key, which reaches only "
        + project + "/frontend; meshcode projects lists what your keys reach\n";
    for (String[] args : new String[][] {{"board", other, "--once"}, {"setup", other, "designer"}, {"invites", other}}) {
      Cli.Result refused = friend.run(args);
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.OUT_OF_SCOPE);
      assertThat(refused.err()).isEqualTo(expected);
    }
    Cli.Result advice = friend.run("projects");
    assertThat(advice.exit()).as(advice.toString()).isZero();
    assertThat(advice.out()).contains(project).contains("guest as frontend").doesNotContain(other);

    Cli.Result wrongAgent = friend.run("go", "designer");
    assertThat(wrongAgent.exit()).as(wrongAgent.toString()).isEqualTo(ExitCode.OUT_OF_SCOPE);
    assertThat(wrongAgent.err()).isEqualTo("meshcode: scoped api key cannot access this agent: your guest key acts only as "
        + project + "/frontend, not as 'designer'; run meshcode go frontend --project " + project + "\n");
  }

  @Test
  @DisplayName("join with a bare mc_inv_ token and no server says it needs the link or --server; the link, or the token with --server, works")
  void bareToken() {
    String ownerKey = mesh.newOwner("Cy");
    Cli owner = owner("owner", ownerKey);
    String project = mesh.project(ownerKey, "bare", "backend");
    Matcher first = owner.run("invite", project, "frontend").find(JOIN_LINK);
    Cli friend = new Cli(root.resolve("friend"), null);
    friend.fakes().secretTool();

    Cli.Result bare = friend.run("join", first.group(2), "--display-name", "Dee");
    assertThat(bare.exit()).as(bare.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(bare.err()).isEqualTo("meshcode: the invite token alone does not say which server it belongs to: give the whole join"
        + " link (…/join/mc_inv_…), or add --server URL\n");
    assertThat(friend.fakes().keyringSecrets()).as("nothing stored").isEmpty();
    assertThat(Files.exists(friend.configFolder().resolve("config.json"))).as("nothing stored").isFalse();

    Cli.Result withServer = friend.run("join", first.group(2), "--display-name", "Dee", "--server", mesh.url());
    assertThat(withServer.exit()).as(withServer.toString()).isZero();
    Cli other = new Cli(root.resolve("other"), null);
    other.fakes().secretTool();
    Cli.Result whole = other.run("join", owner.run("invite", project, "docs").find(JOIN_LINK).group(1), "--display-name", "Eve");
    assertThat(whole.exit()).as(whole.toString()).isZero();
    assertThat(whole.out()).contains("Joined " + project + " as Eve");
  }

  @Test
  @DisplayName("status with a stored login and a server that is down says unreachable (exit 7) and shows the stored key, redacted")
  void statusServerDown() throws IOException {
    String key = mesh.newOwner("Flo");
    Cli cli = new Cli(root, mesh.url()).env("MESHCODE_KEYCHAIN", "file");
    assertThat(cli.run("login", key).exit()).isZero();
    String redacted = "mc_…" + key.substring(key.length() - 4);

    Cli.Result elsewhere = cli.run("status", "--server", DEAD_SERVER);
    assertThat(elsewhere.exit()).as(elsewhere.toString()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(elsewhere.out()).contains("Server:     " + DEAD_SERVER + " (--server), not reachable")
        .contains("Key:        none for this server")
        .contains("Stored:     " + redacted + " (owner key for " + mesh.url() + ", from ")
        .contains("Problem:    server unreachable: cannot reach " + DEAD_SERVER + " (connection refused)")
        .doesNotContain("no credentials").doesNotContain(key);

    // The server login stored goes down: the same key, filed under it, is shown.
    for (String file : new String[] {"config.json", "credentials"}) {
      Path path = cli.configFolder().resolve(file);
      Files.writeString(path, Files.readString(path).replace(mesh.url(), DEAD_SERVER));
    }
    Cli.Result down = cli.env("MESHCODE_SERVER", null).run("status");
    assertThat(down.exit()).as(down.toString()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(down.out()).contains("Server:     " + DEAD_SERVER + " (stored by login), not reachable")
        .contains("Key:        " + redacted + " (owner key, from ")
        .contains("Problem:    server unreachable: cannot reach " + DEAD_SERVER)
        .doesNotContain("no credentials").doesNotContain(key);
  }

  @Test
  @DisplayName("go --role on an existing agent changes its role for an owner, and tells a guest it kept the old one")
  void goRole() {
    String ownerKey = mesh.newOwner("Gus");
    Cli owner = owner("owner", ownerKey);
    String project = TestMesh.name("roles");
    Cli.Result created = owner.run("go", "backend", "--project", project, "--role", "API");
    assertThat(created.exit()).as(created.toString()).isZero();
    assertThat(created.out()).doesNotContain("Changed the role");

    Cli.Result same = owner.run("go", "backend", "--project", project, "--role", "API");
    assertThat(same.exit()).as(same.toString()).isZero();
    assertThat(same.out()).doesNotContain("Changed the role");
    Cli.Result changed = owner.run("go", "backend", "--project", project, "--role", "database");
    assertThat(changed.exit()).as(changed.toString()).isZero();
    assertThat(changed.out()).contains("Changed the role of 'backend' from 'API' to 'database'.");
    assertThat(owner.run("board", project, "--once").out()).containsPattern("backend\\s+database");

    Cli friend = friend(owner, project, "frontend", "Hal", "--role", "UI");
    Cli.Result kept = friend.run("go", "frontend", "--role", "design");
    assertThat(kept.exit()).as(kept.toString()).isZero();
    assertThat(kept.err()).contains("note: 'frontend' keeps its role 'UI': only the project's owner can change it");
    assertThat(owner.run("board", project, "--once").out()).containsPattern("frontend\\s+UI");
  }

  @Test
  @DisplayName("inside a workspace folder every verb that needs a project takes it from the folder")
  void projectFromWorkspace() {
    String ownerKey = mesh.newOwner("Ida");
    Cli owner = owner("owner", ownerKey);
    String project = mesh.project(ownerKey, "here", "backend", "frontend");
    mesh.project(ownerKey, "there", "backend");
    assertThat(owner.run("setup", project, "backend").exit()).isZero();
    Path workspace = owner.workspace(project, "backend");

    Cli.Result outside = owner.run("board", "--once");
    assertThat(outside.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(outside.err()).isEqualTo("meshcode: missing required parameter: '<project>'; see meshcode board --help\n");

    owner.cwd(workspace.resolve(".meshcode"));
    Cli.Result board = owner.run("board", "--once");
    assertThat(board.exit()).as(board.toString()).isZero();
    assertThat(board.out()).contains("backend").contains("frontend");
    for (String[] args : new String[][] {{"invites"}, {"members", "--json"}, {"read", "frontend"}, {"setup", "frontend"},
        {"send", "backend:frontend", "{\"text\":\"hi\"}"}, {"invite", "docs"}}) {
      Cli.Result result = owner.run(args);
      assertThat(result.exit()).as(String.join(" ", args) + "\n" + result).isZero();
    }
    assertThat(owner.run("read", "frontend").out()).contains("hi");
    assertThat(owner.run("dashboard", "--print").out()).contains("&project=" + project);
    Cli.Result go = owner.run("go", "frontend");
    assertThat(go.exit()).as(go.toString()).isZero();
    assertThat(go.out()).contains("Opening").contains(project + "/frontend");
    assertThat(owner.run("remove-agent", "docs", "--yes").exit()).isZero();
    assertThat(owner.env("MESHCODE_PROJECT", "nope-" + project).run("board", "--once").err())
        .as("MESHCODE_PROJECT comes first").contains("project 'nope-" + project + "' not found");
  }
}
