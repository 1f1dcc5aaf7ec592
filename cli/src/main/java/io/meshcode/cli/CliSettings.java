package io.meshcode.cli;

import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI remembers between runs, in {@code config.json} in its config folder: the server
 * {@code login} chose, and an index of the keys it stored (which server and scope, which kind,
 * and in which keychain), never the keys themselves.
 */
public final class CliSettings {

  /**
   * One stored key's index entry.
   *
   * @param scope {@code default}, or {@code project:<name>} for a guest key {@code join} brought
   * @param store the id of the keychain that holds it
   */
  public record StoredKey(String server, String scope, String kind, String meshwork, String agent, String store) {
    JsonMap toJson() {
      return JsonMap.of("server", server, "scope", scope, "kind", kind, "meshwork", meshwork, "agent", agent, "store", store);
    }

    static StoredKey from(JsonMap json) {
      return new StoredKey(json.string("server"), json.string("scope"), json.string("kind"),
          json.string("meshwork"), json.string("agent"), json.string("store"));
    }
  }

  public static final String DEFAULT_SCOPE = "default";

  private final Path file;
  private String server;
  private final List<StoredKey> keys = new ArrayList<>();

  private CliSettings(Path file) {
    this.file = file;
  }

  public static CliSettings load(Environment env) {
    CliSettings settings = new CliSettings(env.configFolder().resolve("config.json"));
    if (Files.exists(settings.file)) {
      try {
        JsonMap json = Json.parseObject(Files.readString(settings.file));
        settings.server = json.string("server");
        json.objects("keys").forEach(key -> settings.keys.add(StoredKey.from(key)));
      } catch (IOException | IllegalArgumentException e) {
        throw CliException.failure("cannot read " + settings.file + " (" + e.getMessage() + "); fix or delete it");
      }
    }
    return settings;
  }

  public Path file() {
    return file;
  }

  public Optional<String> server() {
    return Optional.ofNullable(server);
  }

  public void server(String value) {
    server = value;
  }

  public List<StoredKey> keys() {
    return List.copyOf(keys);
  }

  public Optional<StoredKey> key(String server, String scope) {
    return keys.stream().filter(k -> k.server().equals(server) && k.scope().equals(scope)).findFirst();
  }

  /** Adds the entry, replacing one for the same server and scope. */
  public void putKey(StoredKey key) {
    keys.removeIf(k -> k.server().equals(key.server()) && k.scope().equals(key.scope()));
    keys.add(key);
  }

  public void removeKey(StoredKey key) {
    keys.remove(key);
  }

  public void save() {
    JsonMap json = JsonMap.of("server", server, "keys", keys.stream().map(StoredKey::toJson).toList());
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling("config.json.tmp");
      Files.writeString(temp, Json.pretty(json) + "\n");
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw CliException.failure("cannot write " + file + ": " + e.getMessage() + "; check that folder's permissions and free space");
    }
  }
}
