package io.meshcode.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Command lines for Windows, where a program gets one string and splits it itself (the rules of
 * Microsoft's C runtime), and where a script runs in PowerShell rather than {@code sh}.
 */
public final class WindowsCommands {

  private WindowsCommands() {
  }

  /** {@code arguments} as one command line that the C runtime splits back into the same arguments. */
  public static String join(List<String> arguments) {
    return arguments.stream().map(WindowsCommands::quote).collect(Collectors.joining(" "));
  }

  /** One argument, quoted when it must be: backslashes before a quote (or the closing one) are doubled. */
  static String quote(String argument) {
    if (!argument.isEmpty() && argument.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"' || c == '\n')) {
      return argument;
    }
    StringBuilder quoted = new StringBuilder("\"");
    int backslashes = 0;
    for (char c : argument.toCharArray()) {
      if (c == '\\') {
        backslashes++;
        continue;
      }
      if (c == '"') {
        quoted.append("\\".repeat(2 * backslashes + 1));
      } else {
        quoted.append("\\".repeat(backslashes));
      }
      backslashes = 0;
      quoted.append(c);
    }
    return quoted.append("\\".repeat(2 * backslashes)).append('"').toString();
  }

  /**
   * {@code text} as a PowerShell single-quoted string: nothing in it is expanded. PowerShell takes
   * the typographic single quotes as quotes too, so every kind is doubled.
   */
  public static String powerShellString(String text) {
    StringBuilder quoted = new StringBuilder("'");
    for (char c : text.toCharArray()) {
      if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
        quoted.append(c);
      }
      quoted.append(c);
    }
    return quoted.append('\'').toString();
  }

  /**
   * The command line that runs {@code script} in Windows PowerShell (present on every Windows since
   * 7), passed encoded so no quoting of the outer command line can change it.
   */
  public static List<String> powerShell(String script) {
    String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    return List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encoded);
  }
}
