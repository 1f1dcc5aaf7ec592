package io.meshcode.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Helper programs (keychain tools, editors, browsers) run with the CLI's {@link Environment}, not the JVM's. */
public final class Processes {

  /** What a helper answered. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The first line of stderr, for one-line error messages. */
    public String why() {
      String text = stderr.isBlank() ? stdout : stderr;
      String line = text.strip().lines().findFirst().orElse("");
      return line.isEmpty() ? "exit code " + exitCode : line;
    }
  }

  private Processes() {}

  /**
   * @throws IOException naming the program when it is not on the environment's PATH (the JVM
   *     would look on its own PATH instead)
   */
  static ProcessBuilder builder(Environment env, List<String> command, Path directory, Map<String, String> extraEnv)
      throws IOException {
    List<String> resolved = new ArrayList<>(command);
    String program = command.get(0);
    if (!program.contains("/") && !program.contains("\\")) {
      resolved.set(0, env.findExecutable(program).orElseThrow(() -> new IOException(program + " is not on the PATH")).toString());
    }
    ProcessBuilder builder = new ProcessBuilder(resolved);
    builder.environment().clear();
    builder.environment().putAll(env.variables());
    builder.environment().putAll(extraEnv);
    builder.directory((directory == null ? env.workingDirectory() : directory).toFile());
    return builder;
  }

  /**
   * Runs {@code command} to its end, writing {@code stdin} (never on the command line, where
   * every process list would show it) and collecting its output.
   *
   * @throws IOException when it cannot start, or runs past {@code timeout} (it is then killed)
   */
  public static Result run(Environment env, List<String> command, String stdin, Duration timeout) throws IOException {
    ProcessBuilder builder = builder(env, command, null, Map.of());
    // Helpers (keychain tools, browsers) have no use for a key from the environment.
    builder.environment().remove("MESHCODE_API_KEY");
    Process process = builder.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // it exited without reading its input: its exit code says why
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }

  /** Runs {@code command} on this terminal (inheriting stdin, stdout and stderr) in {@code directory}, to its end. */
  public static int runInTerminal(Environment env, List<String> command, Path directory, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    Process process = builder(env, command, directory, extraEnv).inheritIO().start();
    return process.waitFor();
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
