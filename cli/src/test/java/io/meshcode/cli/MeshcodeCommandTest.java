package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The meshcode command")
class MeshcodeCommandTest {

  private static String stdoutOf(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(MeshcodeCommand.run(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("prints the build's version")
  void version() {
    assertThat(stdoutOf("--version").strip()).matches("meshcode \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  @DisplayName("prints its usage with --help and when run bare")
  void help() {
    assertThat(stdoutOf("--help")).contains("Usage: meshcode").contains("--version");
    assertThat(stdoutOf()).contains("Usage: meshcode");
  }
}
