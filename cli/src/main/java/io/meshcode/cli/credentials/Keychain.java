package io.meshcode.cli.credentials;

import java.util.Optional;

/**
 * Where the operating system keeps secrets. Each key is filed under its server and a scope
 * ({@code default}, or {@code project:<name>} for a guest key a join brought); nothing but the
 * key itself goes in.
 */
public interface Keychain {

  /** For messages: "the Secret Service (secret-tool)". */
  String description();

  /** As the CLI's config file records it: {@code macos}, {@code secret-service}, {@code windows}, {@code file}. */
  String id();

  /** @throws KeychainException when the keychain cannot take it (none running, locked, refused) */
  void store(String server, String scope, String secret) throws KeychainException;

  Optional<String> load(String server, String scope) throws KeychainException;

  void delete(String server, String scope) throws KeychainException;

  /** The keychain failed: {@link #getMessage()} says why in one line, without the secret. */
  final class KeychainException extends Exception {
    public KeychainException(String message) {
      super(message);
    }
  }
}
