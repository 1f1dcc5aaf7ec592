package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as users get it: installed by infra/local/install-cli (launcher, jar, class-data
 * archive) and run as its own process, with a fake keychain and editor on the PATH.
 */
@DisplayName("The installed meshcode command, as a process")
class CliProcessIT {

  private static TestMesh mesh;

  @TempDir
  static Path root;
  private static Path launcher;
  private static FakeTools fakes;

  @BeforeAll
  static void install() throws Exception {
    mesh = TestMesh.get();
    fakes = new FakeTools(root.resolve("fakes"));
    fakes.secretTool().editor("claude", null);
    Path prefix = root.resolve("prefix");
    ProcessBuilder install = new ProcessBuilder("bash", System.getProperty("meshcode.install.script"), "--prefix", prefix.toString())
        .redirectErrorStream(true);
    install.environment().put("MESHCODE_CLI_JAR", System.getProperty("meshcode.cli.jar"));
    install.environment().put("JAVA_HOME", System.getProperty("java.home"));
    install.environment().put("HOME", root.resolve("home").toString());
    Process process = install.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("Installed meshcode ").contains("class-data archive");
    launcher = prefix.resolve("bin/meshcode");
    assertThat(prefix.resolve("share/meshcode/meshcode.jsa")).exists();
  }

  private record Run(int exit, String out, String err) {}

  private static Run meshcode(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("HOME", root.resolve("home").toString());
    env.put("PATH", fakes.bin() + ":/usr/bin:/bin");
    env.put("MESHCODE_SERVER", mesh.url());
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  @DisplayName("mcp runs the MCP server for the agent: it answers initialize and lists the tools, keeps the agent online, logs to stderr only (as JSON with MESHCODE_LOG_FORMAT=json), and exits 0 when stdin ends")
  void mcp() throws Exception {
    String key = mesh.newOwner("Mcp");
    String project = mesh.project(key, "mcp", "backend");
    ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "mcp", "--project", project, "--agent", "backend", "--client", "test")
        .directory(root.toFile()).redirectError(root.resolve("mcp.err").toFile());
    builder.environment().clear();
    builder.environment().putAll(Map.of("HOME", root.resolve("home").toString(), "PATH", fakes.bin() + ":/usr/bin:/bin",
        "MESHCODE_SERVER", mesh.url(), "MESHCODE_API_KEY", key, "MESHCODE_LOG_FORMAT", "json"));
    Process process = builder.start();
    try (var stdout = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         var stdin = new java.io.PrintWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true)) {
      stdin.println("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}");
      JsonMap initialized = Json.parseObject(stdout.readLine());
      assertThat(initialized.number("id", 0)).isEqualTo(1);
      assertThat(initialized.object("result").string("instructions")).contains("backend");
      stdin.println("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      stdin.println("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      String tools = stdout.readLine();
      assertThat(tools).contains("\"id\":2").contains("meshcode_wait").contains("meshcode_send");
      JsonObject meshwork = mesh.expect(200, "GET", "/v1/meshworks/" + project, key, null);
      assertThat(meshwork.getJsonArray("agents").getJsonObject(0).getString("status")).isNotEqualTo("offline");
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String logs = Files.readString(root.resolve("mcp.err"));
    assertThat(process.exitValue()).as(logs).isZero();
    assertThat(logs.lines().map(Json::parseObject).toList()).as(logs)
        .allSatisfy(event -> assertThat(event.string("level")).isNotEmpty())
        .anySatisfy(event -> assertThat(event.string("formattedMessage")).startsWith("MeshCode MCP server ready for agent backend"));
  }

  @Test
  @DisplayName("prints its version and refuses an unknown verb with exit 2")
  void versionAndUsage() throws Exception {
    Run version = meshcode("", "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("meshcode ");
    assertThat(version.err()).isEmpty();
    Run typo = meshcode("", "lgoin");
    assertThat(typo.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).contains("did you mean: meshcode login?");
  }

  @Test
  @DisplayName("logs in with a piped key into the keychain, shows status, and go launches the editor with the launcher's own path in its config")
  void loginStatusGo() throws Exception {
    String key = mesh.newOwner("Proc");
    Run login = meshcode(key + "\n", "login");
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(fakes.keyringSecrets()).contains(key);
    Run status = meshcode("", "status");
    assertThat(status.exit()).as(status.out() + status.err()).isZero();
    assertThat(status.out()).contains("Signed in:  owner Proc").contains("Editor:     Claude Code").doesNotContain(key);

    String project = TestMesh.name("proc");
    Run go = meshcode("", "go", "backend", "--project", project);
    assertThat(go.exit()).as(go.out() + go.err()).isZero();
    Path workspace = root.resolve("home/meshcode/" + project + "-backend");
    assertThat(fakes.log("claude.log")).contains("cwd=" + workspace).contains("arg=--mcp-config");
    JsonMap entry = Json.parseObject(Files.readString(workspace.resolve(".mcp.json"))).object("mcpServers").object("meshcode");
    assertThat(entry.string("command")).isEqualTo(launcher.toString());

    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents", key, new JsonObject().put("name", "reviewer"));
    mesh.expect(201, "POST", "/v1/meshworks/" + project + "/agents/reviewer/messages", key,
        new JsonObject().put("to", "backend").put("text", "ping"));
    Run hook = meshcode("{\"stop_hook_active\":false}", "hook", "stop", "--project", project, "--agent", "backend");
    assertThat(hook.exit()).isZero();
    assertThat(hook.out()).contains("\"decision\":\"block\"");
  }
}
