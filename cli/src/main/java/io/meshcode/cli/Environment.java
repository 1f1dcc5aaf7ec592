package io.meshcode.cli;

import io.meshcode.platform.Os;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the CLI reads from the machine it runs on: environment variables, the home and
 * working folders, the operating system ({@link Os}: each has its own keychain and config
 * folders; any but macOS and Windows follows the Linux desktop's) and whether a person is at a
 * terminal. Read through this one type only, never {@code System.getenv}, so tests can run every verb in-process with an
 * environment of their own (and a PATH holding fake editors and keychains).
 */
public record Environment(Map<String, String> variables, Path home, Path workingDirectory, Os os, boolean interactive) {

  public Environment {
    variables = Map.copyOf(variables);
  }

  /** This process's environment; the home folder is {@code $HOME} (Java's user.home ignores it), else user.home. */
  public static Environment system() {
    String home = System.getenv("HOME");
    return new Environment(
        System.getenv(),
        Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")),
        Path.of("").toAbsolutePath(),
        Os.current(),
        System.console() != null);
  }

  /** A variable's value; unset and blank are the same. */
  public Optional<String> get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The same environment with one variable set (null removes it). */
  public Environment with(String name, String value) {
    Map<String, String> changed = new HashMap<>(variables);
    if (value == null) {
      changed.remove(name);
    } else {
      changed.put(name, value);
    }
    return new Environment(changed, home, workingDirectory, os, interactive);
  }

  /** The first executable called {@code name} on this environment's PATH. */
  public Optional<Path> findExecutable(String name) {
    List<String> suffixes = os == Os.WINDOWS
        ? List.of(get("PATHEXT").orElse(".EXE;.CMD;.BAT").toLowerCase(Locale.ROOT).split(";"))
        : List.of("");
    for (String dir : get("PATH").orElse("").split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      for (String suffix : suffixes) {
        Path candidate = Path.of(dir).resolve(name + suffix);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The CLI's own settings folder: {@code $XDG_CONFIG_HOME/meshcode}, else {@code %APPDATA%\meshcode}
   * on Windows, else {@code ~/.config/meshcode}.
   */
  public Path configFolder() {
    Optional<String> xdg = get("XDG_CONFIG_HOME");
    if (xdg.isPresent()) {
      return Path.of(xdg.get()).resolve("meshcode");
    }
    if (os == Os.WINDOWS && get("APPDATA").isPresent()) {
      return Path.of(get("APPDATA").get()).resolve("meshcode");
    }
    return home.resolve(".config").resolve("meshcode");
  }

  /** Where agent workspaces live: {@code $MESHCODE_HOME}, else {@code ~/meshcode}. */
  public Path workspaceRoot() {
    return get("MESHCODE_HOME").map(Path::of).orElse(home.resolve("meshcode"));
  }
}
