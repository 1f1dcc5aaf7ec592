package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The gateway's README is written from the code: what the code has, it names. */
@DisplayName("The gateway's README")
class ReadmeTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path MAIN = MODULE.resolve("src/main");

  private static String readme() throws IOException {
    return Files.readString(MODULE.resolve("README.md"));
  }

  @Test
  @DisplayName("names every table the gateway's migrations create")
  void tables() throws IOException {
    Pattern create = Pattern.compile("(?i)CREATE TABLE (\\w+)");
    List<String> tables;
    try (Stream<Path> migrations = Files.list(MAIN.resolve("resources/db/gateway"))) {
      tables = migrations.flatMap(file -> create.matcher(read(file)).results().map(m -> m.group(1))).toList();
    }
    assertThat(tables).isNotEmpty();
    String readme = readme();
    assertThat(tables).allSatisfy(table -> assertThat(readme).contains("`" + table + "`"));
  }

  @Test
  @DisplayName("lists every path of the operations the gateway answers itself")
  void ownRoutes() throws IOException {
    String contract = Files.readString(MAIN.resolve("resources/" + PublicApi.CONTRACT));
    // Each path of the document whose operation is tagged gateway, as the document writes it.
    Pattern path = Pattern.compile("(?m)^  (/v1/[^:]+):\\n(?:(?!^  /).*\\n)*?.*tags: \\[" + PublicApi.GATEWAY_TAG + "]");
    List<String> paths = path.matcher(contract).results().map(m -> m.group(1)).toList();
    assertThat(paths).contains("/v1/me", "/v1/keys", "/v1/tickets/redeem");
    String readme = readme();
    assertThat(paths).allSatisfy(p -> assertThat(readme).contains("`" + p));
    assertThat(readme).contains("`/v1/stream`", "`/join/{token}`", "`/openapi.yaml`", "`/dashboard`", "`/metrics`");
  }

  @Test
  @DisplayName("documents every variable the gateway's settings read")
  void variables() throws IOException {
    String settings = Files.readString(MAIN.resolve("java/io/meshcode/gateway/GatewaySettings.java"));
    List<String> names = Pattern.compile("\"(MESHCODE_[A-Z_]+)\"").matcher(settings).results().map(m -> m.group(1)).distinct().toList();
    assertThat(names).contains("MESHCODE_PUBLIC_URL", "MESHCODE_TRUSTED_PROXIES");
    String readme = readme();
    assertThat(names).allSatisfy(name -> assertThat(readme).contains("`" + name));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
