package io.meshcode.cli.credentials;

import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The fallback where no keychain exists: a JSON file readable by its owner only (0600, or a
 * user-only ACL on Windows) in the CLI's config folder. Used only when the keychain is missing or refuses, and said so each time.
 */
final class CredentialsFile implements Keychain {

  private final Path file;

  CredentialsFile(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  @Override
  public String description() {
    return file + " (readable only by you)";
  }

  @Override
  public String id() {
    return "file";
  }

  private static String entry(String server, String scope) {
    return scope + "@" + server;
  }

  @Override
  public void store(String server, String scope, String secret) throws KeychainException {
    JsonMap keys = read();
    keys.put(entry(server, scope), secret);
    write(keys);
  }

  @Override
  public Optional<String> load(String server, String scope) throws KeychainException {
    return Optional.ofNullable(read().string(entry(server, scope)));
  }

  @Override
  public void delete(String server, String scope) throws KeychainException {
    JsonMap keys = read();
    if (keys.has(entry(server, scope))) {
      keys.put(entry(server, scope), null);
      write(keys);
    }
  }

  private JsonMap read() throws KeychainException {
    if (!Files.exists(file)) {
      return new JsonMap();
    }
    try {
      return Json.parseObject(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new KeychainException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private void write(JsonMap keys) throws KeychainException {
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      PrivateFiles.createFile(temp, false);
      Files.writeString(temp, Json.pretty(keys) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeychainException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
