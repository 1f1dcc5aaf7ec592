package io.meshcode.mcp;

import ch.qos.logback.classic.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a client (the MCP server, the CLI) logs, from the same variables as the services
 * (io.meshcode.core.logging.LogSettings, which this module cannot depend on: it brings Vert.x):
 * {@value #LEVEL} for everything, {@value #LEVELS} for single packages (such as
 * {@code io.modelcontextprotocol=debug}) and {@value #FORMAT} ({@code text}, or {@code json}).
 * Unlike a service's, a client's default keeps libraries at WARN and MeshCode's own lines at INFO,
 * which is what an editor's MCP log panel should show.
 *
 * @param level the level of everything, or null for the default (libraries WARN, io.meshcode INFO)
 */
record LogSetup(Level level, Map<String, Level> packages, boolean json) {

  static final String LEVEL = "MESHCODE_LOG_LEVEL";
  static final String LEVELS = "MESHCODE_LOG_LEVELS";
  static final String FORMAT = "MESHCODE_LOG_FORMAT";

  static final LogSetup DEFAULT = new LogSetup(null, Map.of(), false);

  private static final Set<String> LEVEL_NAMES = Set.of("trace", "debug", "info", "warn", "error", "off");
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final String LEVEL_RULE = "one of trace, debug, info, warn, error, off";

  LogSetup {
    packages = Map.copyOf(packages);
  }

  /** Reads the settings; a bad value throws an {@link IllegalArgumentException} naming its variable. */
  static LogSetup from(Map<String, String> env) {
    String levelValue = env.get(LEVEL);
    Level level = levelValue == null || levelValue.isBlank() ? null : level(LEVEL, levelValue, LEVEL_RULE);
    Map<String, Level> packages = new LinkedHashMap<>();
    String list = env.getOrDefault(LEVELS, "").strip();
    if (!list.isEmpty()) {
      for (String entry : list.split(",", -1)) {
        String[] parts = entry.strip().split("=", -1);
        if (parts.length != 2 || !LOGGER_NAME.matcher(parts[0].strip()).matches()) {
          throw refused(LEVELS, "comma-separated package=level pairs, such as io.meshcode.mcp=debug", entry.strip());
        }
        packages.put(parts[0].strip(), level(LEVELS, parts[1], "package=level pairs, the level " + LEVEL_RULE));
      }
    }
    String format = env.getOrDefault(FORMAT, "text").strip().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw refused(FORMAT, "text or json", format);
    }
    return new LogSetup(level, packages, format.equals("json"));
  }

  private static Level level(String variable, String value, String expected) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    if (!LEVEL_NAMES.contains(name)) {
      throw refused(variable, expected, value.strip());
    }
    return Level.toLevel(name);
  }

  private static IllegalArgumentException refused(String variable, String expected, String value) {
    return new IllegalArgumentException(variable + " must be " + expected + ", not '" + value + "'");
  }
}
