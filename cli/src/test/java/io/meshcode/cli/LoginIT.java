package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("login, logout and status against a real mesh")
class LoginIT {

  private static TestMesh mesh;

  @TempDir
  Path root;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private Cli cli() {
    return new Cli(root, mesh.url());
  }

  @Test
  @DisplayName("login checks the key, stores it in the keychain (never on a command line), and status shows it redacted")
  void loginToKeychain() throws Exception {
    String key = mesh.newOwner("Ada");
    Cli cli = cli();
    cli.fakes().secretTool();

    Cli.Result login = cli.run("login", key);
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Logged in to " + mesh.url() + " as owner Ada (mc_…" + key.substring(key.length() - 4) + ")")
        .contains("Key stored in the Secret Service (secret-tool).");
    assertThat(login.err()).isEmpty();
    assertThat(cli.fakes().keyringSecrets()).containsExactly(key);
    assertThat(cli.fakes().log("secret-tool.log")).contains("store").doesNotContain(key);
    assertThat(Files.exists(cli.configFolder().resolve("credentials"))).isFalse();
    assertThat(Files.readString(cli.configFolder().resolve("config.json"))).contains(mesh.url()).doesNotContain(key);

    Cli.Result status = cli.env("MESHCODE_SERVER", null).run("status");
    assertThat(status.out()).contains("Server:     " + mesh.url() + " (stored by login), reachable")
        .contains("Key:        mc_…" + key.substring(key.length() - 4) + " (owner key, from the Secret Service (secret-tool))")
        .contains("Signed in:  owner Ada")
        .doesNotContain(key);
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out()).contains("Editor:     none found: looked for 'claude' on the PATH");
    cli.fakes().editor("cursor", ".cursor/mcp.json");
    Cli.Result ready = cli.run("status");
    assertThat(ready.exit()).as(ready.toString()).isZero();
    assertThat(ready.out()).contains("Editor:     Cursor");

    Cli.Result logout = cli.run("logout");
    assertThat(logout.exit()).isZero();
    assertThat(logout.out()).contains("removed 1 key (default)");
    assertThat(cli.fakes().keyringSecrets()).isEmpty();
    Cli.Result after = cli.run("projects");
    assertThat(after.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(after.err()).isEqualTo("meshcode: no credentials: run meshcode login first\n");
  }

  @Test
  @DisplayName("without a keychain login says so and keeps the key in a 0600 file; a broken keychain does the same")
  void fileFallback() throws Exception {
    String key = mesh.newOwner("Grace");
    Cli cli = cli();
    Cli.Result login = cli.run("login", key);
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.err()).startsWith("warning: no keychain: 'secret-tool' (libsecret) is not on the PATH; keeping the key in "
        + cli.configFolder().resolve("credentials") + " (readable only by you) instead");
    Path file = cli.configFolder().resolve("credentials");
    assertThat(Files.readString(file)).contains(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(cli.run("projects").exit()).isZero();

    Cli broken = new Cli(root.resolve("other"), mesh.url());
    broken.fakes().brokenSecretTool();
    Cli.Result headless = broken.run("login", key);
    assertThat(headless.exit()).isZero();
    assertThat(headless.err()).contains("warning: no keychain: secret-tool could not store the key: secret-tool: Cannot autolaunch D-Bus");
    assertThat(broken.run("projects").exit()).isZero();
  }

  @Test
  @DisplayName("login refuses an unknown key (exit 3), an invite (exit 2), and reads a piped key")
  void refusals() {
    Cli cli = cli();
    cli.fakes().secretTool();
    Cli.Result unknown = cli.run("login", "mc_" + "Z".repeat(43));
    assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(unknown.err()).isEqualTo("meshcode: the server at " + mesh.url()
        + " refused the key: it is unknown or revoked; check that you copied all of it, and that --server is its server\n");
    assertThat(cli.run("login", "mc_inv_" + "a".repeat(43)).err()).contains("that is an invite, not a key: run meshcode join");
    assertThat(cli.run("login", "hello").exit()).isEqualTo(ExitCode.USAGE);

    String key = mesh.newOwner("Piper");
    Cli.Result piped = cli.stdin(key + "\n").run("login");
    assertThat(piped.exit()).as(piped.toString()).isZero();
    assertThat(piped.out()).contains("as owner Piper");
  }

  @Test
  @DisplayName("MESHCODE_API_KEY overrides the stored key; status shows where the key came from")
  void environmentKey() {
    String stored = mesh.newOwner("Stored");
    String ci = mesh.newOwner("Ci");
    Cli cli = cli();
    cli.fakes().secretTool();
    assertThat(cli.run("login", stored).exit()).isZero();
    Cli.Result status = cli.env("MESHCODE_API_KEY", ci).run("status");
    assertThat(status.out()).contains("(owner key, from MESHCODE_API_KEY)").contains("Signed in:  owner Ci");
    Cli.Result revoked = cli.env("MESHCODE_API_KEY", "mc_" + "Q".repeat(43)).run("projects");
    assertThat(revoked.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(revoked.err()).isEqualTo("meshcode: the API key is unknown or revoked; run meshcode login with a current key"
        + " (a guest: ask for a new invite)\n");
  }
}
