package io.meshcode.cli.credentials;

import io.meshcode.cli.Environment;
import io.meshcode.cli.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * macOS: the login Keychain through {@code security}. The key is added through {@code security -i},
 * which reads the command from stdin, so it never shows on a command line.
 */
final class MacKeychain implements Keychain {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int NOT_FOUND = 44;

  private final Environment env;
  private final String tool;

  MacKeychain(Environment env, String tool) {
    this.env = env;
    this.tool = tool;
  }

  @Override
  public String description() {
    return "the macOS Keychain";
  }

  @Override
  public String id() {
    return "macos";
  }

  private static String account(String server, String scope) {
    return scope + "@" + server;
  }

  @Override
  public void store(String server, String scope, String secret) throws KeychainException {
    // Keys, scopes and server URLs hold no quotes or backslashes: safe inside double quotes.
    String command = "add-generic-password -U -s \"meshcode\" -l \"MeshCode key\" -a \"" + account(server, scope)
        + "\" -w \"" + secret + "\"\n";
    Processes.Result result = run(List.of(tool, "-i"), command);
    if (!result.ok() || !result.stderr().isBlank()) {
      throw new KeychainException("security could not store the key: " + result.why());
    }
  }

  @Override
  public Optional<String> load(String server, String scope) throws KeychainException {
    Processes.Result result = run(List.of(tool, "find-generic-password", "-s", "meshcode", "-a", account(server, scope), "-w"), null);
    if (result.ok()) {
      return Optional.of(result.stdout().strip());
    }
    if (result.exitCode() == NOT_FOUND) {
      return Optional.empty();
    }
    throw new KeychainException("security could not read the key: " + result.why());
  }

  @Override
  public void delete(String server, String scope) throws KeychainException {
    Processes.Result result = run(List.of(tool, "delete-generic-password", "-s", "meshcode", "-a", account(server, scope)), null);
    if (!result.ok() && result.exitCode() != NOT_FOUND) {
      throw new KeychainException("security could not delete the key: " + result.why());
    }
  }

  private Processes.Result run(List<String> command, String stdin) throws KeychainException {
    try {
      return Processes.run(env, command, stdin, TIMEOUT);
    } catch (IOException e) {
      throw new KeychainException("security failed: " + e.getMessage());
    }
  }
}
