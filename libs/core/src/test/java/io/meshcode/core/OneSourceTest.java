package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Names;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the code does in one way only: each rule below lives in one place, and a second copy
 * anywhere in the repository's sources fails the build here (issue 20, item 15).
 */
@DisplayName("One source for each shared rule")
class OneSourceTest {

  private static final Path ROOT = RepositoryFiles.ROOT;
  private static final Path CORE_BACKOFF = Path.of("libs/core/src/main/java/io/meshcode/core/retry/Backoff.java");
  /** The clients do not depend on core (it would bring Vert.x, Kafka and JDBC into the CLI): one copy for both. */
  private static final Path CLIENT_BACKOFF = Path.of("mcp/src/main/java/io/meshcode/mcp/Backoff.java");

  @Test
  @DisplayName("a delay that doubles up to a limit is written only in core's Backoff and the clients' one")
  void oneBackoff() {
    // A doubling delay: "x * 2" or "multipliedBy(2)" in a file that retries or backs off.
    Pattern doubling = Pattern.compile("\\*\\s*2\\b|multipliedBy\\(\\s*2\\s*\\)");
    Pattern retrying = Pattern.compile("(?i)retr(y|ies|ying)|back-?off");
    List<Path> found = mainJava()
        .filter(file -> {
          String text = read(file);
          return doubling.matcher(text).find() && retrying.matcher(text).find();
        })
        .map(ROOT::relativize).sorted().toList();
    assertThat(found).containsExactlyInAnyOrder(CORE_BACKOFF, CLIENT_BACKOFF);
  }

  @Test
  @DisplayName("every migration creates the outbox table exactly as Outbox.DDL says, and no code defines it again")
  void oneOutboxDdl() {
    Pattern create = Pattern.compile("(?i)CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(\\w+\\.)?outbox\\b");
    Map<Path, String> migrations = new TreeMap<>();
    RepositoryFiles.sources().filter(file -> file.toString().endsWith(".sql"))
        .filter(file -> create.matcher(read(file)).find())
        .forEach(file -> migrations.put(ROOT.relativize(file), read(file)));
    assertThat(migrations.keySet()).as("the services with an outbox")
        .extracting(path -> path.getName(1).toString())
        .containsExactlyInAnyOrder("gateway", "bus", "memory", "tasks", "invites");
    migrations.forEach((file, sql) -> {
      assertThat(squeeze(sql)).as(file + " creates the outbox with Outbox.DDL").contains(squeeze(Outbox.DDL));
      assertThat(create.matcher(sql).results().count()).as(file + " creates it once").isEqualTo(1);
    });
    List<Path> definers = mainJava().filter(file -> create.matcher(read(file)).find()).map(ROOT::relativize).toList();
    assertThat(definers).containsExactly(Path.of("libs/core/src/main/java/io/meshcode/core/outbox/Outbox.java"));
  }

  @Test
  @DisplayName("the rule for meshwork and agent names is core's Names.NAME wherever it is written")
  void oneNamePattern() {
    // Any regular expression for a name: a class of lowercase letters and digits followed by one with '-' and '_'.
    Pattern namePattern = Pattern.compile("\\^?\\[a-z0-9\\]\\[a-z0-9_-\\]\\{[^}]*\\}\\$?");
    String rule = Names.NAME.pattern();
    Map<Path, List<String>> copies = new TreeMap<>();
    RepositoryFiles.sources().filter(file -> file.toString().matches(".*\\.(java|ya?ml|json)$"))
        .filter(file -> file.toString().contains("/src/main/"))
        .forEach(file -> {
          List<String> found = namePattern.matcher(read(file)).results().map(m -> m.group()).toList();
          if (!found.isEmpty()) {
            copies.put(ROOT.relativize(file), found);
          }
        });
    copies.forEach((file, found) -> assertThat(found).as(file + " writes the name rule as core does")
        .allSatisfy(pattern -> assertThat(pattern.replaceAll("^\\^|\\$$", "")).isEqualTo(rule)));
    // Core's, the public contract the gateway validates with, and the clients' one (the CLI uses the MCP server's), which cannot depend on core.
    assertThat(copies.keySet()).containsExactlyInAnyOrder(
        Path.of("libs/core/src/main/java/io/meshcode/core/ids/Names.java"),
        Path.of("services/gateway/src/main/resources/openapi/meshcode.yaml"),
        Path.of("mcp/src/main/java/io/meshcode/mcp/Args.java"));
  }

  @Test
  @DisplayName("an event's fields are named only by EventEnvelope; an account's event has the same shape")
  void oneEnvelope() {
    JsonObject meshworkEvent = EventEnvelope.of("t", "mw", "a", new JsonObject()).toJson();
    JsonObject accountEvent = EventEnvelope.ofAccount("owner_key.revoked", "acc", new JsonObject().put("key_id", "k"));
    assertThat(accountEvent.fieldNames()).containsExactlyInAnyOrder("id", "type", "account", "time", "payload");
    assertThat(meshworkEvent.fieldNames()).containsAll(Set.of("id", "type", "time", "payload"));
    // Whoever builds a record with an id, a type, a time and a payload builds an envelope by hand.
    Pattern field = Pattern.compile("\\.put\\(\"(id|type|time|payload)\"");
    List<Path> builders = mainJava()
        .filter(file -> {
          Matcher m = field.matcher(read(file));
          return m.results().map(r -> r.group(1)).distinct().count() == 4;
        })
        .map(ROOT::relativize).sorted().toList();
    // The replay log's entries are another shape (seq, recipients), built by the bus and relayed by the gateway.
    assertThat(builders).containsExactlyInAnyOrder(
        Path.of("libs/core/src/main/java/io/meshcode/core/kafka/EventEnvelope.java"),
        Path.of("services/bus/src/main/java/io/meshcode/bus/LogEntry.java"),
        Path.of("services/gateway/src/main/java/io/meshcode/gateway/StreamHub.java"));
  }

  private static Stream<Path> mainJava() {
    return RepositoryFiles.sources().filter(file -> file.toString().endsWith(".java") && file.toString().contains("/src/main/java/"));
  }

  private static String read(Path file) {
    return RepositoryFiles.read(file);
  }

  /** SQL without comments and with every run of white space as one space. */
  private static String squeeze(String sql) {
    return sql.replaceAll("--[^\\n]*", "").replaceAll("\\s+", " ").trim();
  }
}
