package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.cli.editor.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the CLI prints is one sentence on one line that names the thing and says what to
 * do. The messages are found where they are made: each {@code CliException} construction site in
 * {@code src/main/java} (its text, with what is computed at run time as {@code ‹›}), picocli's
 * usage errors for every verb, and the errors that wrap a parser's or the file system's own.
 */
@DisplayName("every error message is one sentence that names the thing and says what to do")
class ErrorMessagesTest {

  private static final Pattern SITE = Pattern.compile(
      "CliException\\.(?:usage|notFound|noAccess|failure)\\(|new CliException\\(|new KeychainException\\(|outsideScope\\(");
  /** Where a service makes the message of an error it answers. */
  private static final Pattern SERVER_SITE = Pattern.compile(
      "ApiException\\.(?:badRequest|unauthorized|forbidden|notFound|conflict)\\(|new ApiException\\(");
  /** What a message may tell the reader to do (or point them to). */
  private static final Pattern ADVICE = Pattern.compile(
      "\\b(run|runs|meshcode|ask|give|add|use|uses|name|choose|fix|delete|move|install|retry|check|close|set|expected|must|type"
          + "|pipe|report|try|unlock|lists|say|see|revoke|restart|upgrade|did you mean)\\b|--");
  /** What a message may name: a computed value (‹›), a quoted one, or one of the CLI's nouns. */
  private static final Pattern NAMED = Pattern.compile(
      "‹›|'|\\b(key|keys|server|invite|project|agent|editor|owner|file|workspace|token|link|name|message|stdin|keychain|credentials)\\b");

  /** One message as written in the source: where, and its text with computed parts as ‹›. */
  record Site(String where, String text, boolean wrapped) {}

  @Test
  @DisplayName("every CliException and KeychainException the source makes")
  void constructionSites() throws IOException {
    List<Site> sites = sites(Path.of("src/main/java"));
    assertThat(sites).as("the scan finds the CLI's messages").hasSizeGreaterThan(60);
    List<String> problems = new ArrayList<>();
    for (Site site : sites) {
      // A keychain's message is always wrapped in one that says what to do; it is checked for the rest.
      check(site.text(), !site.wrapped()).forEach(problem -> problems.add(site.where() + ": " + problem + ": " + site.text()));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("every error a service answers, which the CLI prints as it is: one lowercase sentence, nothing said twice")
  void serverMessages() throws IOException {
    List<Site> sites = new ArrayList<>();
    try (Stream<Path> modules = Stream.concat(Files.list(Path.of("../services")), Stream.of(Path.of("../libs/core")))) {
      for (Path module : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        sites.addAll(sites(module, SERVER_SITE));
      }
    }
    assertThat(sites).as("the scan finds the services' messages").hasSizeGreaterThan(100);
    List<String> problems = new ArrayList<>();
    for (Site site : sites) {
      // A service names what is wrong; what to do about it is often the CLI's to say (a verb's own advice).
      check(site.text(), false).stream().filter(problem -> !"names nothing".equals(problem))
          .forEach(problem -> problems.add(site.where() + ": " + problem + ": " + site.text()));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("picocli's usage errors, for every verb: one line 'meshcode: …' with the help pointer")
  void usageErrors() {
    Set<String> verbs = new HashSet<>(MeshcodeCommand.BY_NAME.keySet());
    verbs.remove("help");
    Cli cli = new Cli(root, "http://127.0.0.1:9");
    for (String verb : verbs) {
      String name = Set.of("list", "ls").contains(verb) ? "projects" : verb;
      for (String[] args : List.of(new String[] {verb, "--no-such-option"}, new String[] {verb, "a", "b", "c", "d", "e"})) {
        Cli.Result result = cli.run(args);
        assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).as(String.join(" ", args)).matches("meshcode: [a-z][^\\n]*; see meshcode " + name + " --help\\n");
        assertThat(check(result.err().strip().replaceFirst("^meshcode: ", ""), true)).as(result.err()).isEmpty();
      }
    }
    Cli.Result missing = cli.run("go");
    assertThat(missing.err()).isEqualTo("meshcode: missing required parameter: '<agent>'; see meshcode go --help\n");
  }

  @TempDir
  Path root;

  @Test
  @DisplayName("a file that is not a JSON object is named once, without doubled wording")
  void wrappedParserErrors() throws IOException {
    Path info = root.resolve(".meshcode/workspace.json");
    Files.createDirectories(info.getParent());
    for (String content : List.of("[1]", "{\"project\":", "\"text\"")) {
      Files.writeString(info, content);
      try {
        Workspace.containing(root);
        throw new AssertionError("no error for " + content);
      } catch (CliException e) {
        assertThat(check(e.getMessage(), true)).as(e.getMessage()).isEmpty();
        assertThat(e.getMessage()).contains(info.toString());
      }
    }
  }

  @Test
  @DisplayName("the check itself catches doubled wording, two sentences, capitals and no advice")
  void checkCatches() {
    assertThat(check("cannot update f: it is not a JSON object (not a JSON object); fix it", true)).isNotEmpty();
    assertThat(check("project 'x' not found. Did you mean: y?", true)).isNotEmpty();
    assertThat(check("Missing required parameter: '<agent>'", true)).isNotEmpty();
    assertThat(check("the owner cannot be revoked", true)).isNotEmpty();
    assertThat(check("project 'x' not found; did you mean y?", true)).isEmpty();
  }

  /** What is wrong with {@code message}; empty when nothing is. */
  static List<String> check(String message, boolean advice) {
    List<String> problems = new ArrayList<>();
    if (message.contains("\n")) {
      problems.add("more than one line");
    }
    String start = message.replaceFirst("^(‹›|'[^']*'|--[a-z-]+|[A-Z_]{2,}\\b)", "");
    if (start.length() == message.length() && !message.isEmpty() && Character.isUpperCase(message.charAt(0))
        && !message.startsWith("PowerShell")) {
      problems.add("starts with a capital");
    }
    if (Pattern.compile("[.!?]\\)?\\s+[A-Z]").matcher(message.replace("‹›", "x")).find() || message.strip().endsWith(".")) {
      problems.add("more than one sentence");
    }
    doubled(message).ifPresent(words -> problems.add("says '" + words + "' twice"));
    if (!NAMED.matcher(message).find()) {
      problems.add("names nothing");
    }
    if (advice && !ADVICE.matcher(message.toLowerCase(Locale.ROOT)).find()) {
      problems.add("says nothing to do");
    }
    return problems;
  }

  /** Three words in a row said twice ("not a JSON object (not a JSON object)"). */
  static java.util.Optional<String> doubled(String message) {
    List<String> words = Stream.of(message.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(w -> !w.isEmpty()).toList();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i + 3 <= words.size(); i++) {
      String three = String.join(" ", words.subList(i, i + 3));
      if (!seen.add(three)) {
        return java.util.Optional.of(three);
      }
    }
    return java.util.Optional.empty();
  }

  static List<Site> sites(Path sources) throws IOException {
    return sites(sources, SITE);
  }

  /**
   * The messages made at each match of {@code site} in {@code sources}: the call's first argument,
   * or for a constructor ({@code new X(}) the one after the leading status and code arguments.
   */
  static List<Site> sites(Path sources, Pattern pattern) throws IOException {
    List<Site> sites = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String source = read(file);
        Matcher site = pattern.matcher(source);
        while (site.find()) {
          int at = site.end();
          if (site.group().startsWith("new CliException(")) {
            at = argumentEnd(source, at) + 1;
          } else if (site.group().startsWith("new ApiException(")) {
            at = argumentEnd(source, argumentEnd(source, at) + 1) + 1;
          }
          String argument = source.substring(at, argumentEnd(source, at));
          String text = template(argument);
          if (text.replace("‹›", "").isBlank()) {
            continue;  // a factory passing its parameter on, or a rethrown message: checked where it is made
          }
          String where = sources.relativize(file) + ":" + (source.substring(0, site.start()).lines().count());
          sites.add(new Site(where, text, site.group().contains("KeychainException")));
        }
      }
    }
    return sites;
  }

  /** Where the argument starting at {@code from} ends: the comma or parenthesis that closes it. */
  private static int argumentEnd(String source, int from) {
    int depth = 0;
    for (int i = from; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '"') {
        i = skipLiteral(source, i, '"');
      } else if (c == '\'') {
        i = skipLiteral(source, i, '\'');
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced call at " + from);
  }

  private static int skipLiteral(String source, int at, char quote) {
    for (int i = at + 1; i < source.length(); i++) {
      if (source.charAt(i) == '\\') {
        i++;
      } else if (source.charAt(i) == quote) {
        return i;
      }
    }
    return source.length();
  }

  /**
   * The message's words: the literals that are message text joined, each computed part between
   * them as ‹›. A literal inside a call's parentheses ({@code json.string("name")}) is computed.
   */
  static String template(String argument) {
    StringBuilder text = new StringBuilder();
    java.util.ArrayDeque<Boolean> calls = new java.util.ArrayDeque<>();
    boolean computed = false;
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c == '"') {
        int end = skipLiteral(argument, i, '"');
        if (calls.contains(true)) {
          computed = true;
        } else {
          if (computed) {
            text.append("‹›");
            computed = false;
          }
          text.append(argument.substring(i + 1, end).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
        i = end;
      } else if (c == '\'') {
        i = skipLiteral(argument, i, '\'');
        computed = true;
      } else if (c == '(') {
        String before = argument.substring(0, i).stripTrailing();
        calls.push(!before.isEmpty() && Character.isJavaIdentifierPart(before.charAt(before.length() - 1)));
      } else if (c == ')') {
        if (!calls.isEmpty()) {
          calls.pop();
        }
      } else if (!Character.isWhitespace(c) && "+:?".indexOf(c) < 0) {
        computed = true;
      }
    }
    if (computed) {
      text.append("‹›");
    }
    return text.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
