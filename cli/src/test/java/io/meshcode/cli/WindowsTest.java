package io.meshcode.cli;

import io.meshcode.platform.Os;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.credentials.Credentials;
import io.meshcode.cli.editor.McpConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's Windows branches, chosen by an environment that says Windows: no Windows program runs. */
@DisplayName("The CLI on Windows")
class WindowsTest {

  private static final String APPDATA = "C:\\Users\\ada\\AppData\\Roaming";

  @TempDir
  Path root;

  private Environment windows(Map<String, String> variables) {
    return new Environment(variables, root.resolve("home"), root, Os.WINDOWS, false);
  }

  @Test
  @DisplayName("keeps its settings in %APPDATA%\\meshcode, unless XDG_CONFIG_HOME says otherwise")
  void configFolder() {
    assertThat(windows(Map.of("APPDATA", APPDATA)).configFolder()).isEqualTo(Path.of(APPDATA, "meshcode"));
    assertThat(windows(Map.of("APPDATA", APPDATA, "XDG_CONFIG_HOME", "D:\\config")).configFolder())
        .isEqualTo(Path.of("D:\\config", "meshcode"));
    assertThat(windows(Map.of()).configFolder()).isEqualTo(root.resolve("home").resolve(".config").resolve("meshcode"));
  }

  @Test
  @DisplayName("merges Claude Desktop's config at %APPDATA%\\Claude\\claude_desktop_config.json")
  void claudeDesktop() {
    assertThat(new McpConfigs(windows(Map.of("APPDATA", APPDATA))).claudeDesktopConfig())
        .isEqualTo(Path.of(APPDATA, "Claude", "claude_desktop_config.json"));
    assertThat(new McpConfigs(windows(Map.of())).claudeDesktopConfig())
        .isEqualTo(root.resolve("home").resolve("AppData/Roaming/Claude/claude_desktop_config.json"));
  }

  @Test
  @DisplayName("keeps keys in the Credential Manager through PowerShell (powershell.exe, else pwsh.exe), else in its file")
  void credentialManager() throws IOException {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Map<String, String> variables = new HashMap<>(Map.of("PATH", bin.toString(), "APPDATA", root.resolve("appdata").toString()));
    executable(bin.resolve("secret-tool"));
    assertThat(credentials(variables).storeDescription()).as("no PowerShell: Linux's keychain tool is not used")
        .startsWith("no keychain found: ");

    executable(bin.resolve("pwsh.exe"));
    assertThat(credentials(variables).storeDescription()).isEqualTo("the Windows Credential Manager");
    Files.move(bin.resolve("pwsh.exe"), bin.resolve("powershell.exe"));
    variables.put("PATHEXT", ".COM;.EXE;.PS1");
    assertThat(credentials(variables).storeDescription()).isEqualTo("the Windows Credential Manager");
  }

  private Credentials credentials(Map<String, String> variables) {
    Environment env = windows(variables);
    return new Credentials(env, CliSettings.load(env));
  }

  private static void executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
