package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.platform.Os;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The watchdog's command line on each platform (Windows' is built here, not run) and how each is asked to stop. */
class PostgresWatchdogTest {

  private static final List<String> POSTGRES = List.of("/home/al/.cache/meshcode/postgres-1/bin/postgres", "-D",
      "/home/al/.meshcode/dev/postgres", "-c", "listen_addresses=127.0.0.1");

  @Test
  @DisplayName("Linux and macOS: the sh watchdog with the postmaster's command line as its arguments")
  void posixCommand() {
    for (Os os : List.of(Os.LINUX, Os.MAC)) {
      List<String> command = PostgresWatchdog.command(os, POSTGRES, Path.of("/unused/pg_ctl"));
      assertThat(command.subList(0, 4)).containsExactly("/bin/sh", "-c", PostgresWatchdog.POSIX_SCRIPT, "postgres-watchdog");
      assertThat(command.subList(4, command.size())).isEqualTo(POSTGRES);
    }
  }

  @Test
  @DisplayName("Windows: PowerShell runs postgres.exe with its arguments quoted, and stops it with pg_ctl kill INT")
  void windowsCommand() {
    List<String> postgres = List.of("C:\\Users\\Al Smith\\AppData\\Local\\meshcode\\postgres-1\\bin\\postgres.exe",
        "-D", "C:\\Users\\Al Smith\\.meshcode\\dev\\postgres", "-c", "unix_socket_directories=", "-F");
    List<String> command = PostgresWatchdog.command(Os.WINDOWS, postgres,
        Path.of("C:\\Users\\Al Smith\\AppData\\Local\\meshcode\\postgres-1\\bin\\pg_ctl.exe"));
    assertThat(command).startsWith("powershell.exe");
    String script = new String(Base64.getDecoder().decode(command.get(command.size() - 1)), StandardCharsets.UTF_16LE);
    assertThat(script)
        .contains("$start.FileName = 'C:\\Users\\Al Smith\\AppData\\Local\\meshcode\\postgres-1\\bin\\postgres.exe'")
        .contains("$start.Arguments = '-D \"C:\\Users\\Al Smith\\.meshcode\\dev\\postgres\" -c unix_socket_directories= -F'")
        .contains("& 'C:\\Users\\Al Smith\\AppData\\Local\\meshcode\\postgres-1\\bin\\pg_ctl.exe' kill INT $server.Id")
        .contains("$start.CreateNoWindow = $true");
  }

  @Test
  @DisplayName("Windows: a path with quotes or a placeholder's name cannot break out of its string or change the script")
  void windowsHostilePaths() {
    String data = "C:\\Users\\O'Brien\\PG_CTL ARGUMENTS'; Remove-Item -Recurse C:\\ ; '";
    String script = PostgresWatchdog.windowsScript(List.of("C:\\pg\\PROGRAM\\postgres.exe", "-D", data), Path.of("C:\\pg\\pg_ctl.exe"));
    assertThat(script).contains("$start.FileName = 'C:\\pg\\PROGRAM\\postgres.exe'");
    assertThat(script).contains("$start.Arguments = '-D \"C:\\Users\\O''Brien\\PG_CTL ARGUMENTS''; Remove-Item -Recurse C:\\ ; ''\"'");
    assertThat(script).contains("& 'C:\\pg\\pg_ctl.exe' kill INT");
    assertThat(script.lines().filter(line -> line.contains("Remove-Item"))).hasSize(1);
  }

  @Test
  @DisplayName("stopping: SIGTERM on Linux and macOS, end of input on Windows (a process reading its input exits)")
  void requestsStop() throws Exception {
    Process reader = new ProcessBuilder("cat").start();
    PostgresWatchdog.requestStop(Os.WINDOWS, reader);
    assertThat(reader.waitFor(10, TimeUnit.SECONDS)).as("exits at end of input").isTrue();
    assertThat(reader.exitValue()).isZero();

    Process sleeper = new ProcessBuilder("sleep", "60").start();
    PostgresWatchdog.requestStop(Os.LINUX, sleeper);
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
    assertThat(sleeper.exitValue()).isEqualTo(143);
  }

  @Test
  @DisplayName("without a setsid tool (macOS), Perl gives the program a session of its own, in place (same pid), umask 077")
  void sessionWithoutSetsid() throws Exception {
    Path bin = Files.createDirectories(TestDirs.fresh("no-setsid").resolve("bin"));
    Files.createSymbolicLink(bin.resolve("perl"), Path.of("/usr/bin/perl"));
    ProcessBuilder builder = new ProcessBuilder(Support.ownerOnlySession(Os.MAC,
        List.of("/bin/sh", "-c", "read -r stat < /proc/$$/stat; echo \"$stat\"; umask")));
    builder.environment().put("PATH", bin.toString());
    Process process = builder.redirectErrorStream(true).start();
    List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lines).as("output").hasSize(2);
    String[] stat = lines.get(0).substring(lines.get(0).lastIndexOf(')') + 2).split(" ");
    assertThat(Long.parseLong(stat[3])).as("session id").isEqualTo(process.pid());
    assertThat(lines.get(1)).isEqualTo("0077");
    assertThat(PostgresWatchdog.POSIX_SCRIPT).contains("then " + Support.PERL_SETSID + " \"$@\"");
  }

  @Test
  @DisplayName("helper programs run with umask 077 in a session of their own on Linux and macOS, as they are on Windows")
  void ownerOnlySession() {
    List<String> broker = List.of("C:\\Java\\bin\\java", "-cp", "a;b", "Main");
    assertThat(Support.ownerOnlySession(Os.WINDOWS, broker)).isEqualTo(broker);
    assertThat(Support.ownerOnlySession(Os.LINUX, broker)).startsWith("/bin/sh", "-c").endsWith(broker.toArray(String[]::new));
    assertThat(Support.ownerOnlySession(Os.LINUX, broker).get(2)).startsWith("umask 077;").contains("setsid");
  }
}
