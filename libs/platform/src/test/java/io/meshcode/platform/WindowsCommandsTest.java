package io.meshcode.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WindowsCommandsTest {

  @Test
  @DisplayName("arguments are quoted by the C runtime's rules: only when needed, backslashes doubled before a quote")
  void quotesArguments() {
    assertThat(WindowsCommands.quote("-D")).isEqualTo("-D");
    assertThat(WindowsCommands.quote("C:\\Users\\al\\data")).isEqualTo("C:\\Users\\al\\data");
    assertThat(WindowsCommands.quote("C:\\Users\\Al Smith\\data")).isEqualTo("\"C:\\Users\\Al Smith\\data\"");
    assertThat(WindowsCommands.quote("C:\\Program Files\\")).isEqualTo("\"C:\\Program Files\\\\\"");
    assertThat(WindowsCommands.quote("")).isEqualTo("\"\"");
    assertThat(WindowsCommands.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(WindowsCommands.quote("a\\\"b c")).isEqualTo("\"a\\\\\\\"b c\"");
    assertThat(WindowsCommands.join(List.of("-c", "listen_addresses=127.0.0.1", "-D", "C:\\My Data")))
        .isEqualTo("-c listen_addresses=127.0.0.1 -D \"C:\\My Data\"");
  }

  @Test
  @DisplayName("a PowerShell string literal expands nothing, and every kind of single quote in it is doubled")
  void powerShellStrings() {
    assertThat(WindowsCommands.powerShellString("C:\\Users\\al\\$HOME")).isEqualTo("'C:\\Users\\al\\$HOME'");
    assertThat(WindowsCommands.powerShellString("O'Brien")).isEqualTo("'O''Brien'");
    assertThat(WindowsCommands.powerShellString("O\u2019Brien'; Remove-Item C:\\ #"))
        .isEqualTo("'O\u2019\u2019Brien''; Remove-Item C:\\ #'");
  }

  @Test
  @DisplayName("a script reaches PowerShell encoded (UTF-16LE, base64), so no outer quoting can change it")
  void encodesScripts() {
    List<String> command = WindowsCommands.powerShell("Write-Output 'é \"x\"'");
    assertThat(command).startsWith("powershell.exe", "-NoProfile", "-NonInteractive");
    assertThat(command.get(command.size() - 2)).isEqualTo("-EncodedCommand");
    assertThat(new String(Base64.getDecoder().decode(command.get(command.size() - 1)), StandardCharsets.UTF_16LE))
        .isEqualTo("Write-Output 'é \"x\"'");
  }
}
