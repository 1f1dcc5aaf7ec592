package io.meshcode.cli;

import io.meshcode.platform.Os;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code meshcode} command run in-process the way a user's shell would run it: an
 * environment of its own (a fresh home, config and workspace folder, a PATH with the fakes
 * first), captured stdout and stderr, and the exit code.
 */
public final class Cli {

  /** What one run printed and returned. */
  public record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }

    /** {@code pattern}'s first match in what was printed on stdout; fails when there is none. */
    public java.util.regex.Matcher find(java.util.regex.Pattern pattern) {
      java.util.regex.Matcher m = pattern.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no " + pattern + " in\n" + this);
      }
      return m;
    }
  }

  private final Path root;
  private final FakeTools fakes;
  private final Map<String, String> variables = new HashMap<>();
  private Path workingDirectory;
  private String stdin = "";
  private boolean interactive;
  private Os os = Os.LINUX;

  /** A user with a home under {@code root}, talking to {@code server}. */
  public Cli(Path root, String server) {
    this.root = root;
    this.fakes = new FakeTools(root.resolve("fakes"));
    try {
      Files.createDirectories(home());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    workingDirectory = home();
    variables.put("HOME", home().toString());
    variables.put("USER", "tester");
    variables.put("PATH", fakes.bin() + ":/usr/bin:/bin");
    variables.put("XDG_CONFIG_HOME", home().resolve(".config").toString());
    variables.put("MESHCODE_HOME", home().resolve("meshcode").toString());
    if (server != null) {
      variables.put("MESHCODE_SERVER", server);
    }
  }

  public Path home() {
    return root.resolve("home");
  }

  public FakeTools fakes() {
    return fakes;
  }

  /** Sets (or, with null, removes) a variable for the following runs. */
  public Cli env(String name, String value) {
    if (value == null) {
      variables.remove(name);
    } else {
      variables.put(name, value);
    }
    return this;
  }

  public Cli cwd(Path dir) {
    workingDirectory = dir;
    return this;
  }

  /** Runs the following commands as on {@code os}: its folders and helper programs (the fakes still run here). */
  public Cli os(Os os) {
    this.os = os;
    return this;
  }

  /** Runs the following commands as at a terminal (a person who can answer a question), or not. */
  public Cli interactive(boolean atTerminal) {
    interactive = atTerminal;
    return this;
  }

  public Cli stdin(String text) {
    stdin = text;
    return this;
  }

  public Environment environment() {
    return new Environment(variables, home(), workingDirectory, os, interactive);
  }

  public Path workspace(String project, String agent) {
    return home().resolve("meshcode").resolve(project + "-" + agent);
  }

  public Path configFolder() {
    return home().resolve(".config").resolve("meshcode");
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = MeshcodeCommand.run(environment(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), args);
    stdin = "";
    return new Result(exit, out.toString(), err.toString());
  }
}
