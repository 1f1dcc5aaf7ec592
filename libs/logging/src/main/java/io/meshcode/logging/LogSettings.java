package io.meshcode.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a MeshCode process logs, from its environment: the level of everything ({@value #LEVEL}),
 * levels of single packages ({@value #LEVELS}, such as {@code io.meshcode.bus=debug,org.apache.kafka=info})
 * and the format ({@value #FORMAT}: {@code text}, or {@code json} for Kubernetes). The services
 * and the local mesh (libs/core's {@code logback.xml}) and the clients (the MCP server's
 * {@code StderrLogging}) read them through this one class; a bad value is refused in one line
 * naming the variable, so start-up stops there.
 *
 * @param level the level of everything, or null when {@value #LEVEL} is unset (each process has its default)
 */
public record LogSettings(Level level, Map<String, Level> packages, boolean json) {

  public static final String LEVEL = "MESHCODE_LOG_LEVEL";
  public static final String LEVELS = "MESHCODE_LOG_LEVELS";
  public static final String FORMAT = "MESHCODE_LOG_FORMAT";

  /** A setting that cannot be used: its message names the variable, what it takes and what it got. */
  public static final class Refused extends IllegalArgumentException {
    public Refused(String variable, String expected, String actual) {
      super(variable + ": expected " + expected + ", got '" + actual + "'");
    }
  }

  private static final Set<String> LEVEL_NAMES = Set.of("trace", "debug", "info", "warn", "error", "off");
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final String LEVEL_RULE = "one of trace, debug, info, warn, error, off";

  public LogSettings {
    packages = Map.copyOf(packages);
  }

  /** Reads the settings from {@code env}; unset or blank variables take their defaults. */
  public static LogSettings from(Map<String, String> env) {
    String levelValue = env.getOrDefault(LEVEL, "").strip();
    Level level = levelValue.isEmpty() ? null : level(LEVEL, levelValue, LEVEL_RULE);
    Map<String, Level> packages = new LinkedHashMap<>();
    String list = env.getOrDefault(LEVELS, "").strip();
    if (!list.isEmpty()) {
      for (String entry : list.split(",", -1)) {
        String[] parts = entry.strip().split("=", -1);
        if (parts.length != 2 || !LOGGER_NAME.matcher(parts[0].strip()).matches()) {
          throw new Refused(LEVELS, "comma-separated package=level pairs, such as io.meshcode.bus=debug", entry.strip());
        }
        packages.put(parts[0].strip(), level(LEVELS, parts[1], "package=level pairs, the level " + LEVEL_RULE));
      }
    }
    String format = env.getOrDefault(FORMAT, "").strip().toLowerCase(Locale.ROOT);
    if (!format.isEmpty() && !format.equals("text") && !format.equals("json")) {
      throw new Refused(FORMAT, "text or json", format);
    }
    return new LogSettings(level, packages, format.equals("json"));
  }

  private static Level level(String variable, String value, String expected) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    if (!LEVEL_NAMES.contains(name)) {
      throw new Refused(variable, expected, value.strip());
    }
    return Level.toLevel(name);
  }

  /** The level of everything: {@value #LEVEL}'s, else {@code fallback}. */
  public Level levelOr(Level fallback) {
    return level == null ? fallback : level;
  }

  /**
   * Sets the levels on {@code context}: everything at {@value #LEVEL}'s level, else
   * {@code defaults} (logger name → level; the root's is {@link Logger#ROOT_LOGGER_NAME}), then each
   * package of {@value #LEVELS}.
   */
  public void apply(LoggerContext context, Map<String, Level> defaults) {
    defaults.forEach((name, fallback) -> context.getLogger(name).setLevel(levelOr(fallback)));
    packages.forEach((name, packageLevel) -> context.getLogger(name).setLevel(packageLevel));
  }

  /** The same on the process's Logback; nothing if another SLF4J backend is in use (as in some tests). */
  public void apply(Map<String, Level> defaults) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, defaults);
    }
  }

  /** {@code level} as {@value #LEVEL} writes it, for a child process that should log alike. */
  public static String name(Level level) {
    return level.toString().toLowerCase(Locale.ROOT);
  }
}
