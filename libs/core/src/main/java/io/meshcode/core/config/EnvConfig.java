package io.meshcode.core.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, validated reads of environment variables. Every failure is a {@link ConfigException}
 * naming the variable, so start-up can stop with one clear line.
 *
 * <p>The variables come from a map rather than {@link System#getenv()} directly, so the local
 * mesh can run several services in one process, each with its own settings.
 */
public final class EnvConfig {

  private final Map<String, String> env;

  public EnvConfig(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Every variable, for a reader that takes a map ({@code LogSettings}). */
  public Map<String, String> variables() {
    return env;
  }

  public static EnvConfig fromSystem() {
    return new EnvConfig(System.getenv());
  }

  public Optional<String> optional(String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public String required(String name, String expected) {
    return optional(name).orElseThrow(() -> new ConfigException(name, expected, null));
  }

  /** A TCP port; 0 means "any free port". */
  public int port(String name, int defaultValue) {
    return integer(name, defaultValue, 0, 65535, "a port number 0-65535");
  }

  public int integer(String name, int defaultValue, int min, int max) {
    return integer(name, defaultValue, min, max, "an integer " + min + "-" + max);
  }

  private int integer(String name, int defaultValue, int min, int max, String expected) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new ConfigException(name, expected, raw.get());
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, expected, raw.get());
    }
  }

  public boolean bool(String name, boolean defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name, "true or false", raw.get());
    };
  }

  /** A whole number of seconds, for timeouts and grace periods. */
  public Duration seconds(String name, Duration defaultValue, int maxSeconds) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return Duration.ofSeconds(integer(name, 0, 0, maxSeconds, "a number of seconds 0-" + maxSeconds));
  }

  /** An absolute http(s) URL with a host, such as {@code http://bus:8081}. */
  public URI httpUrl(String name, String defaultValue) {
    String raw = string(name, defaultValue);
    if (raw == null) {
      throw new ConfigException(name, "an http(s) URL such as http://host:8081", null);
    }
    try {
      URI uri = new URI(raw);
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!http || uri.getHost() == null) {
        throw new ConfigException(name, "an http(s) URL such as http://host:8081", raw);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(name, "an http(s) URL such as http://host:8081", raw);
    }
  }

  /**
   * A secret given either inline ({@code NAME}) or as a file ({@code NAME_FILE}, as Kubernetes
   * mounts secrets). Never echoes the value in an error.
   */
  public Optional<String> secret(String name) {
    Optional<String> file = optional(name + "_FILE");
    if (file.isPresent()) {
      return Optional.of(readFile(name + "_FILE", Path.of(file.get())).trim());
    }
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
  }

  public String requiredSecret(String name, String expected) {
    return secret(name)
        .orElseThrow(() -> new ConfigException(name + " or " + name + "_FILE", expected, null));
  }

  private static String readFile(String variable, Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | SecurityException e) {
      throw new ConfigException(variable, "a readable file", path.toString());
    }
  }
}
