package io.meshcode.cli.credentials;

import io.meshcode.cli.Environment;
import io.meshcode.cli.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Linux (and BSD) desktops: the Secret Service (GNOME Keyring, KWallet) through libsecret's {@code secret-tool}. */
final class SecretServiceKeychain implements Keychain {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Environment env;
  private final String tool;

  SecretServiceKeychain(Environment env, String tool) {
    this.env = env;
    this.tool = tool;
  }

  @Override
  public String description() {
    return "the Secret Service (secret-tool)";
  }

  @Override
  public String id() {
    return "secret-service";
  }

  @Override
  public void store(String server, String scope, String secret) throws KeychainException {
    Processes.Result result = run(List.of(tool, "store", "--label", "MeshCode key (" + scope + ", " + server + ")",
        "service", "meshcode", "server", server, "scope", scope), secret);
    if (!result.ok()) {
      throw new KeychainException("secret-tool could not store the key: " + result.why());
    }
  }

  @Override
  public Optional<String> load(String server, String scope) throws KeychainException {
    Processes.Result result = run(List.of(tool, "lookup", "service", "meshcode", "server", server, "scope", scope), null);
    if (result.ok() && !result.stdout().isBlank()) {
      return Optional.of(result.stdout().strip());
    }
    if (!result.stderr().isBlank()) {
      throw new KeychainException("secret-tool could not read the key: " + result.why());
    }
    return Optional.empty();
  }

  @Override
  public void delete(String server, String scope) throws KeychainException {
    Processes.Result result = run(List.of(tool, "clear", "service", "meshcode", "server", server, "scope", scope), null);
    if (!result.ok() && !result.stderr().isBlank()) {
      throw new KeychainException("secret-tool could not delete the key: " + result.why());
    }
  }

  private Processes.Result run(List<String> command, String stdin) throws KeychainException {
    try {
      return Processes.run(env, command, stdin, TIMEOUT);
    } catch (IOException e) {
      throw new KeychainException("secret-tool failed: " + e.getMessage());
    }
  }
}
