package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The meshcode command, without a mesh")
class MeshcodeCommandTest {

  static final List<String> VERBS = List.of("login", "logout", "status", "go", "setup", "run", "projects", "list", "ls",
      "board", "invite", "join", "invites", "members", "revoke-invite", "revoke-member", "remove-agent", "send",
      "read", "mcp", "dashboard", "help");

  @TempDir
  Path home;

  private Cli cli() {
    return new Cli(home, "http://127.0.0.1:9");
  }

  @Test
  @DisplayName("prints the build's version")
  void version() {
    Cli.Result result = cli().run("--version");
    assertThat(result.exit()).isZero();
    assertThat(result.out().strip()).matches("meshcode \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  @DisplayName("answers a bare --version or -V before building the command, exactly as picocli answers it")
  void versionBeforeTheCommand() {
    assertThat(MeshcodeCommand.isVersionRequest("--version")).isTrue();
    assertThat(MeshcodeCommand.isVersionRequest("-V")).isTrue();
    for (String[] args : List.of(new String[] {}, new String[] {"--version", "status"}, new String[] {"status", "--version"},
        new String[] {"-hV"}, new String[] {"--server", "http://x", "--version"}, new String[] {"--help"})) {
      assertThat(MeshcodeCommand.isVersionRequest(args)).as(String.join(" ", args)).isFalse();
    }
    // Given an option first, picocli builds the command and prints the version itself.
    Cli.Result byPicocli = cli().run("--server", "http://127.0.0.1:9", "--version");
    assertThat(byPicocli.out()).startsWith("meshcode ");
    for (String flag : List.of("--version", "-V")) {
      Cli.Result quick = cli().run(flag);
      assertThat(quick.exit()).as(flag).isEqualTo(byPicocli.exit()).isZero();
      assertThat(quick.out()).as(flag).isEqualTo(byPicocli.out());
      assertThat(quick.err()).as(flag).isEqualTo(byPicocli.err()).isEmpty();
    }
  }

  @Test
  @DisplayName("prints its usage, every verb and the exit codes with help, --help and when run bare")
  void help() {
    for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {})) {
      Cli.Result result = cli().run(args);
      assertThat(result.exit()).as(String.join(" ", args)).isZero();
      assertThat(result.out()).contains("Usage: meshcode").contains("Exit codes:").contains("server unreachable");
      for (String verb : VERBS) {
        assertThat(result.out()).containsPattern("\\n  (projects, )?(list, )?" + verb + "\\b");
      }
      assertThat(result.out()).doesNotContain("hook");
    }
  }

  @ParameterizedTest(name = "meshcode {0} --help")
  @ValueSource(strings = {"login", "logout", "status", "go", "setup", "run", "projects", "list", "ls", "board", "invite",
      "join", "invites", "members", "revoke-invite", "revoke-member", "remove-agent", "send", "read", "mcp", "dashboard",
      "hook"})
  @DisplayName("every verb has its own help")
  void verbHelp(String verb) {
    Cli.Result result = cli().run(verb, "--help");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("Usage: meshcode " + (verb.equals("list") || verb.equals("ls") ? "projects" : verb));
    assertThat(cli().run("help", verb).out()).isEqualTo(result.out());
  }

  @Test
  @DisplayName("the table of verb names matches every verb's own name and aliases")
  void verbNames() {
    java.util.Map<String, Class<?>> declared = new java.util.HashMap<>();
    for (Class<?> verb : MeshcodeCommand.VERBS) {
      picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(verb);
      declared.put(spec.name(), verb);
      for (String alias : spec.aliases()) {
        declared.put(alias, verb);
      }
    }
    assertThat(MeshcodeCommand.BY_NAME).isEqualTo(declared);
    assertThat(MeshcodeCommand.verbsFor("--server", "http://x", "status", "--help")).containsExactly(io.meshcode.cli.verb.StatusCommand.class);
    assertThat(MeshcodeCommand.verbsFor("--version")).isEmpty();
    assertThat(MeshcodeCommand.verbsFor("help", "status")).hasSize(MeshcodeCommand.VERBS.size());
    assertThat(MeshcodeCommand.verbsFor("stauts")).hasSize(MeshcodeCommand.VERBS.size());
  }

  @Test
  @DisplayName("an unknown verb suggests the closest one and exits 2")
  void unknownVerb() {
    Cli.Result typo = cli().run("stauts");
    assertThat(typo.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err().strip()).isEqualTo("meshcode: unknown verb 'stauts' (did you mean: meshcode status?); meshcode help lists every verb");
    Cli.Result invitee = cli().run("invitess");
    assertThat(invitee.err()).contains("did you mean: meshcode invites?");
    Cli.Result nonsense = cli().run("xyzzy");
    assertThat(nonsense.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(nonsense.err()).contains("unknown verb 'xyzzy'").doesNotContain("did you mean");
  }

  @Test
  @DisplayName("a bad option or a missing argument is one line plus where to look, exit 2")
  void badUsage() {
    Cli.Result missing = cli().run("setup", "webshop");
    assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).isEqualTo("meshcode: missing required parameter: '<agent>'; see meshcode setup --help\n");
    Cli.Result option = cli().run("board", "webshop", "--oncee");
    assertThat(option.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(option.err()).contains("--oncee");
    Cli.Result badName = cli().env("MESHCODE_API_KEY", "mc_" + "a".repeat(43)).run("board", "Web Shop");
    assertThat(badName.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badName.err().strip()).startsWith("meshcode: the project name 'Web Shop' is not valid");
  }

  @Test
  @DisplayName("without credentials every verb that needs a key says: run meshcode login first (exit 3)")
  void noCredentials() {
    for (String[] args : List.of(new String[] {"projects"}, new String[] {"board", "webshop", "--once"},
        new String[] {"members", "webshop"}, new String[] {"go", "backend"}, new String[] {"dashboard"})) {
      Cli.Result result = cli().run(args);
      assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(ExitCode.NOT_LOGGED_IN);
      assertThat(result.err().strip()).isEqualTo("meshcode: no credentials: run meshcode login first");
    }
  }

  @Test
  @DisplayName("a server that does not answer is named, exit 7")
  void unreachable() {
    Cli.Result result = cli().env("MESHCODE_API_KEY", "mc_" + "a".repeat(43)).run("projects");
    assertThat(result.exit()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(result.err().strip()).startsWith("meshcode: server unreachable: cannot reach http://127.0.0.1:9 (connection refused)");
    assertThat(result.err()).doesNotContain("aaaaaaaa");
  }

  @Test
  @DisplayName("the server comes from --server (before or after the verb), else MESHCODE_SERVER, else the default")
  void server() {
    Cli cli = cli().env("MESHCODE_SERVER", null);
    assertThat(cli.run("status").out()).contains("Server:     http://localhost:8080 (the default)");
    assertThat(cli.env("MESHCODE_SERVER", "http://127.0.0.1:7").run("status").out()).contains("http://127.0.0.1:7 (MESHCODE_SERVER)");
    assertThat(cli.run("status", "--server", "http://127.0.0.1:6/").out()).contains("http://127.0.0.1:6 (--server)");
    assertThat(cli.run("--server", "http://127.0.0.1:5", "status").out()).contains("http://127.0.0.1:5 (--server)");
    assertThat(cli.run("status", "--server", "ftp://x").err()).contains("the server must be an http(s) URL");
  }

  @Test
  @DisplayName("every exit code is in the usage help and in docs/CLI.md's table, and no other")
  void exitCodesDocumented() throws java.io.IOException {
    String docs = java.nio.file.Files.readString(Path.of("../docs/CLI.md"));
    List<String> documented = docs.lines().filter(line -> line.matches("\\| \\d+ \\| .*"))
        .map(line -> line.split("\\|")[1].strip()).toList();
    List<String> codes = ExitCode.descriptions().keySet().stream().map(String::strip).toList();
    assertThat(documented).isEqualTo(codes);
    assertThat(codes).contains(String.valueOf(ExitCode.OUT_OF_SCOPE));
    assertThat(cli().run("--help").out()).contains("9   scoped key used outside its project or agent");
  }

  @Test
  @DisplayName("in a workspace folder a left-out <project> is the folder's, put in once; elsewhere it is a usage error")
  void projectFromWorkspaceFolder() throws java.io.IOException {
    Path workspace = home.resolve("home/meshcode/webshop-backend");
    java.nio.file.Files.createDirectories(workspace.resolve(".meshcode"));
    java.nio.file.Files.writeString(workspace.resolve(".meshcode/workspace.json"), "{\"project\":\"webshop\",\"agent\":\"backend\"}");
    Cli cli = cli();
    assertThat(cli.run("board", "--once").err()).isEqualTo("meshcode: missing required parameter: '<project>'; see meshcode board --help\n");
    cli.cwd(workspace);
    Cli.Result board = cli.run("--server", "http://127.0.0.1:9", "board", "--once");
    assertThat(board.exit()).as("past the parser, to the key").isEqualTo(ExitCode.NOT_LOGGED_IN);
    Cli.Result setup = cli.run("setup");
    assertThat(setup.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(setup.err()).as("the project once, not as the agent too")
        .isEqualTo("meshcode: missing required parameter: '<agent>'; see meshcode setup --help\n");
    assertThat(MeshcodeCommand.withProjectFromWorkspace(new picocli.CommandLine.MissingParameterException(
        new picocli.CommandLine(new MeshcodeCommand(cli.environment(), null)), List.of(), "x"), cli.environment(), "status"))
        .as("a verb without <project>").isNull();
    Cli.Result fromEnv = cli.env("MESHCODE_PROJECT", "Bad Name").run("board", "--once");
    assertThat(fromEnv.err()).as("MESHCODE_PROJECT first").contains("the project name 'Bad Name' is not valid");
  }
}
