package io.meshcode.embedded;

import io.meshcode.platform.Os;
import io.meshcode.platform.WindowsCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small process between this JVM and the postmaster, a child of this JVM, that stops the
 * postmaster (fast shutdown) when asked and also when this JVM dies, even by {@code kill -9}: it
 * reads its standard input, a pipe from this JVM, and end of input means the JVM is gone. (Java
 * cannot ask the system to signal a child when its parent dies, and {@code pg_ctl start} would
 * detach the postmaster from everything.) It exits when the postmaster does, with its status.
 *
 * <p>On Linux and macOS it is an {@code sh} script, asked to stop by SIGTERM; the postmaster runs
 * in a session of its own ({@code setsid}, or Perl's on macOS, which has no such tool), so a
 * Ctrl-C at the terminal reaches only the JVM. On Windows, which has neither, it is a PowerShell script, asked to stop
 * by closing its input; the postmaster gets no console of its own (a Ctrl-C there reaches only
 * the JVM too), its messages go to the script's output, and it is stopped by {@code pg_ctl kill
 * INT}, PostgreSQL's own way to signal a server on Windows.
 */
final class PostgresWatchdog {

  /**
   * {@code $@} is the postmaster's command line. It runs in a session of its own (a Ctrl-C at the
   * terminal reaches only the JVM, which stops the services before the database), with stdin
   * closed; this shell waits for it and passes on its exit status. SIGTERM or end of this shell's
   * own stdin asks for a fast shutdown (SIGINT). The reader is a subshell, which is gone before
   * this shell exits, so a later end of input never signals a pid the system gave to someone else.
   */
  static final String POSIX_SCRIPT = """
      exec 3<&0
      if command -v setsid >/dev/null 2>&1; then setsid "$@" </dev/null 3<&- &
      elif command -v perl >/dev/null 2>&1; then PERL_SETSID "$@" </dev/null 3<&- &
      else "$@" </dev/null 3<&- &
      fi
      server=$!
      stop() { kill -INT "$server" 2>/dev/null; }
      trap stop TERM HUP
      trap '' INT
      ( while read -r _ <&3; do :; done; stop ) &
      watch=$!
      exec 3<&-
      status=0
      while :; do
        wait "$server"; status=$?
        kill -0 "$server" 2>/dev/null || break
      done
      kill "$watch" 2>/dev/null
      exit "$status"
      """.replace("PERL_SETSID", Support.PERL_SETSID);

  /**
   * PROGRAM, ARGUMENTS and PG_CTL are replaced by PowerShell string literals. Input is read a line
   * at a time without blocking the wait for the postmaster; end of input asks for a fast shutdown.
   */
  static final String WINDOWS_SCRIPT = """
      $ErrorActionPreference = 'Stop'
      $start = New-Object System.Diagnostics.ProcessStartInfo
      $start.FileName = PROGRAM
      $start.Arguments = ARGUMENTS
      $start.UseShellExecute = $false
      $start.CreateNoWindow = $true
      $start.RedirectStandardError = $true
      $server = [System.Diagnostics.Process]::Start($start)
      $copy = $server.StandardError.BaseStream.CopyToAsync([Console]::OpenStandardOutput())
      $line = [Console]::In.ReadLineAsync()
      while (-not $server.WaitForExit(200)) {
        if ($line.IsCompleted) {
          if ($line.Result -eq $null) {
            & PG_CTL kill INT $server.Id | Out-Null
            $server.WaitForExit()
            break
          }
          $line = [Console]::In.ReadLineAsync()
        }
      }
      $server.WaitForExit()
      [void]$copy.Wait(2000)
      exit $server.ExitCode
      """;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\b(PROGRAM|ARGUMENTS|PG_CTL)\\b");

  private PostgresWatchdog() {
  }

  /** The command line of the watchdog that runs {@code postgres} (program and arguments). */
  static List<String> command(Os os, List<String> postgres, Path pgCtl) {
    if (os == Os.WINDOWS) {
      return WindowsCommands.powerShell(windowsScript(postgres, pgCtl));
    }
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", POSIX_SCRIPT, "postgres-watchdog"));
    command.addAll(postgres);
    return command;
  }

  /** The script with its three literals filled in, in one pass: a path that spells a placeholder stays as it is. */
  static String windowsScript(List<String> postgres, Path pgCtl) {
    Map<String, String> literals = Map.of(
        "PROGRAM", WindowsCommands.powerShellString(postgres.get(0)),
        "ARGUMENTS", WindowsCommands.powerShellString(WindowsCommands.join(postgres.subList(1, postgres.size()))),
        "PG_CTL", WindowsCommands.powerShellString(pgCtl.toString()));
    return PLACEHOLDER.matcher(WINDOWS_SCRIPT).replaceAll(match -> Matcher.quoteReplacement(literals.get(match.group())));
  }

  /** Asks the watchdog for a fast shutdown: SIGTERM on Linux and macOS, end of its input on Windows. */
  static void requestStop(Os os, Process watchdog) {
    if (os == Os.WINDOWS) {
      try {
        watchdog.getOutputStream().close();
      } catch (IOException alreadyGone) {
        // Its input is closed either way.
      }
    } else {
      watchdog.destroy();
    }
  }
}
