package io.meshcode.cli.credentials;

import io.meshcode.platform.Os;
import io.meshcode.cli.CliException;
import io.meshcode.cli.CliSettings;
import io.meshcode.cli.CliSettings.StoredKey;
import io.meshcode.cli.Environment;
import io.meshcode.cli.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys the CLI uses: {@code MESHCODE_API_KEY} over everything, else a key stored for the
 * project (a guest key {@code join} brought), else the server's default key ({@code login}).
 * Keys live in the OS keychain; only where none exists in a 0600 file, and then the user is told.
 */
public final class Credentials {

  public static final String ENV_KEY = "MESHCODE_API_KEY";

  /** A key and where it came from, for {@code status}. */
  public record Key(String value, String source) {
    public String kind() {
      return kindOf(value);
    }

    /** Safe to print: the prefix and the last four characters. */
    public String redacted() {
      return redact(value);
    }

    @Override
    public String toString() {
      return "Key[" + redacted() + " from " + source + "]";
    }
  }

  /** Where a key went, and the warning to print when that is the file. */
  public record Stored(String where, Optional<String> warning) {}

  private final Environment env;
  private final CliSettings settings;
  private final CredentialsFile file;
  private Optional<Keychain> keychain;

  public Credentials(Environment env, CliSettings settings) {
    this.env = env;
    this.settings = settings;
    this.file = new CredentialsFile(env.configFolder().resolve("credentials"));
  }

  /** The OS keychain, when this machine has one the CLI can drive ({@code MESHCODE_KEYCHAIN} forces a choice). */
  Optional<Keychain> keychain() {
    if (keychain == null) {
      keychain = findKeychain();
    }
    return keychain;
  }

  private Optional<Keychain> findKeychain() {
    String forced = env.get("MESHCODE_KEYCHAIN").orElse("auto").toLowerCase(Locale.ROOT);
    Os os = switch (forced) {
      case "auto" -> env.os();
      case "file" -> null;
      case "macos" -> Os.MAC;
      case "secret-service" -> Os.LINUX;
      case "windows" -> Os.WINDOWS;
      default -> throw CliException.usage("MESHCODE_KEYCHAIN: expected auto, macos, secret-service, windows or file, not '" + forced + "'");
    };
    if (os == null) {
      return Optional.empty();
    }
    return switch (os) {
      case MAC -> env.findExecutable("security").map(tool -> new MacKeychain(env, tool.toString()));
      case WINDOWS -> env.findExecutable("powershell").or(() -> env.findExecutable("pwsh"))
          .map(tool -> new WindowsCredentialManager(env, tool.toString()));
      default -> env.findExecutable("secret-tool").map(tool -> new SecretServiceKeychain(env, tool.toString()));
    };
  }

  /** What {@code status} says about where keys go. */
  public String storeDescription() {
    return keychain().map(Keychain::description).orElse("no keychain found: " + file.description());
  }

  /** The key for a command on {@code project} (null: no project in particular). */
  public Optional<Key> find(String server, String project) {
    Optional<String> fromEnv = env.get(ENV_KEY);
    if (fromEnv.isPresent()) {
      return Optional.of(new Key(fromEnv.get(), ENV_KEY));
    }
    List<String> scopes = new ArrayList<>();
    if (project != null) {
      scopes.add(projectScope(project));
    }
    scopes.add(CliSettings.DEFAULT_SCOPE);
    for (String scope : scopes) {
      Optional<StoredKey> entry = settings.key(server, scope);
      if (entry.isPresent()) {
        Keychain store = storeFor(entry.get());
        try {
          Optional<String> key = store.load(server, scope);
          if (key.isPresent()) {
            return Optional.of(new Key(key.get(), store.description()));
          }
        } catch (Keychain.KeychainException e) {
          throw new CliException(ExitCode.NOT_LOGGED_IN, "your key could not be loaded (" + e.getMessage() + "); unlock the keychain, or run meshcode login again");
        }
      }
    }
    return Optional.empty();
  }

  /** Every project a guest key is stored for on this server. */
  public List<StoredKey> projectKeys(String server) {
    return settings.keys().stream().filter(k -> k.server().equals(server) && !k.scope().equals(CliSettings.DEFAULT_SCOPE)).toList();
  }

  /**
   * Stores {@code key} in the keychain, or, only when there is none or it refuses, in the 0600
   * file; records it in the settings (saved by the caller's {@link CliSettings#save()}).
   */
  public Stored store(String server, String scope, String key, String meshwork, String agent) {
    Optional<String> warning = Optional.empty();
    Keychain target = null;
    Optional<Keychain> system = keychain();
    if (system.isPresent()) {
      try {
        system.get().store(server, scope, key);
        target = system.get();
      } catch (Keychain.KeychainException e) {
        warning = Optional.of("no keychain: " + e.getMessage() + "; keeping the key in " + file.file()
            + " (readable only by you) instead");
      }
    } else if (!"file".equalsIgnoreCase(env.get("MESHCODE_KEYCHAIN").orElse(""))) {
      warning = Optional.of("no keychain: " + missingKeychain() + "; keeping the key in " + file.file()
          + " (readable only by you) instead");
    }
    if (target == null) {
      try {
        file.store(server, scope, key);
        target = file;
      } catch (Keychain.KeychainException e) {
        throw CliException.failure("the key was not stored (" + e.getMessage() + "); check that folder's permissions, or set MESHCODE_KEYCHAIN");
      }
    }
    // A key stored anew replaces any copy elsewhere (a file copy from a day without a keychain).
    String storeId = target.id();
    settings.key(server, scope).filter(old -> !old.store().equals(storeId)).ifPresent(this::deleteQuietly);
    settings.putKey(new StoredKey(server, scope, kindOf(key), meshwork, agent, storeId));
    return new Stored(target.description(), warning);
  }

  /** Forgets every key stored for {@code server}; answers their scopes. */
  public List<String> forget(String server) {
    List<String> removed = new ArrayList<>();
    for (StoredKey entry : settings.keys()) {
      if (entry.server().equals(server)) {
        try {
          storeFor(entry).delete(server, entry.scope());
        } catch (Keychain.KeychainException e) {
          throw CliException.failure("the key was not removed (" + e.getMessage() + "); unlock the keychain and run this again");
        }
        settings.removeKey(entry);
        removed.add(entry.scope());
      }
    }
    return removed;
  }

  public static String projectScope(String project) {
    return "project:" + project;
  }

  public static String kindOf(String key) {
    if (key.startsWith("mc_sk_")) {
      return "guest";
    }
    if (key.startsWith("mc_spec_")) {
      return "spectator";
    }
    return key.startsWith("mc_") ? "owner" : "unknown";
  }

  public static String redact(String key) {
    if (key.length() < 12) {
      return "…";
    }
    int body = key.lastIndexOf('_') + 1;
    return key.substring(0, body) + "…" + key.substring(key.length() - 4);
  }

  private String missingKeychain() {
    return switch (env.os()) {
      case MAC -> "the 'security' tool is not on the PATH";
      case WINDOWS -> "PowerShell is not on the PATH";
      default -> "'secret-tool' (libsecret) is not on the PATH";
    };
  }

  private Keychain storeFor(StoredKey entry) {
    if ("file".equals(entry.store())) {
      return file;
    }
    return keychain().filter(k -> k.id().equals(entry.store())).orElseThrow(() -> new CliException(ExitCode.NOT_LOGGED_IN,
        "your key is in " + entry.store() + ", which this machine cannot reach now; run meshcode login again"));
  }

  private void deleteQuietly(StoredKey entry) {
    try {
      storeFor(entry).delete(entry.server(), entry.scope());
    } catch (RuntimeException | Keychain.KeychainException ignored) {
      // the old copy stays behind; the index no longer points at it
    }
  }
}
