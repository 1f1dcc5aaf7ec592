package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Windows' run-mesh and install-cli (PowerShell, started by a .cmd beside each) do the steps of the
 * bash scripts. No PowerShell runs here: this reads both and checks that what must match does.
 */
class WindowsScriptsTest {

  private static final Path SCRIPTS = Path.of("..", "infra", "local");

  @Test
  @DisplayName("each .cmd runs the PowerShell script beside it with every argument, and passes on its exit code")
  void wrappers() throws IOException {
    for (String name : List.of("run-mesh", "install-cli")) {
      String cmd = read(name + ".cmd");
      assertThat(cmd).as(name).contains("-File \"%~dp0" + name + ".ps1\" %*").contains("exit /b %ERRORLEVEL%");
      assertThat(Files.isRegularFile(SCRIPTS.resolve(name + ".ps1"))).as(name + ".ps1").isTrue();
    }
  }

  @Test
  @DisplayName("run-mesh: the same build when the jar is missing or older than the sources, then the same java command")
  void runMesh() throws IOException {
    String bash = read("run-mesh");
    String ps = read("run-mesh.ps1");
    assertThat(buildArguments(ps, "mvnw.cmd'\\)")).isEqualTo(buildArguments(bash, "\"\\$root/mvnw\""));
    assertThat(ps).contains("local\\target\\meshcode-local.jar").contains("-jar $jar @args").contains("MESHCODE_JAVA_OPTS");
    assertThat(bash).contains("local/target/meshcode-local.jar");
    assertThat(ps).contains("'*\\src\\*'").contains("'pom.xml'");
  }

  @Test
  @DisplayName("install-cli: the same options, Java check, build, JVM flags and class-data training runs")
  void installCli() throws IOException {
    String bash = read("install-cli");
    String ps = read("install-cli.ps1");
    assertThat(buildArguments(ps, "mvnw.cmd'\\)")).isEqualTo(buildArguments(bash, "\"\\$root/mvnw\""));
    for (String option : List.of("--prefix", "--prefix=", "--uninstall", "--help", "unknown option")) {
      assertThat(bash).as(option).contains(option);
      assertThat(ps).as(option).contains(option);
    }
    assertThat(ps).contains("-lt 17").contains("needs 17 or newer");
    assertThat(bash).contains("-lt 17").contains("needs 17 or newer");

    Matcher bashFlags = Pattern.compile("flags=\"([^\"]+)\"").matcher(bash);
    Matcher psFlags = Pattern.compile("\\$flags = @\\(([^)]+)\\)").matcher(ps);
    assertThat(bashFlags.find()).isTrue();
    assertThat(psFlags.find()).isTrue();
    assertThat(Arrays.stream(psFlags.group(1).split(",")).map(flag -> flag.trim().replace("'", "")).toList())
        .isEqualTo(List.of(bashFlags.group(1).split(" ")));

    // Both train on --version and on a status run that reads a stored config naming an absent server.
    assertThat(bash).contains("for verb in \"--version\" \"status\"; do").contains("\"server\": \"http://127.0.0.1:9\"")
        .contains("$training/meshcode/config.json").contains("MESHCODE_API_KEY=mc_0000000000000000000000000000000000000000000");
    assertThat(ps).contains("@(@('--version'), @('status'))").contains("`\"server`\": `\"http://127.0.0.1:9`\"")
        .contains("'meshcode\\config.json'").contains("'mc_0000000000000000000000000000000000000000000'");
    for (String step : List.of("-XX:DumpLoadedClassList=", "-Xshare:dump", "-XX:SharedClassListFile=", "-XX:SharedArchiveFile=",
        "-Xshare:auto", "MESHCODE_LAUNCHER", "meshcode.jar.new", "Next: meshcode login <key>", "is not on your PATH yet")) {
      assertThat(bash).as(step).contains(step);
      assertThat(ps).as(step).contains(step);
    }
  }

  /** The words after the Maven Wrapper on the line that builds. */
  private static String buildArguments(String script, String wrapper) {
    Matcher build = Pattern.compile(wrapper + " (-q -B -DskipTests -pl \\w+ -am package)").matcher(script);
    assertThat(build.find()).as("a build line after " + wrapper).isTrue();
    return build.group(1);
  }

  private static String read(String name) throws IOException {
    return Files.readString(SCRIPTS.resolve(name));
  }
}
