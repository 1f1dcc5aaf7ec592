package io.meshcode.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a process logs, from its environment: the level of everything ({@value #LEVEL}), levels of
 * single packages ({@value #LEVELS}, such as {@code io.meshcode.bus=debug,org.apache.kafka=info})
 * and the format ({@value #FORMAT}: {@code text}, or {@code json} for Kubernetes). Logback reads
 * the level and format itself when it starts (libs/core's {@code logback.xml}); this checks them,
 * so a bad value stops start-up with one line naming the variable, and applies the package levels.
 */
public record LogSettings(Level level, Map<String, Level> packages, String format) {

  public static final String LEVEL = "MESHCODE_LOG_LEVEL";
  public static final String LEVELS = "MESHCODE_LOG_LEVELS";
  public static final String FORMAT = "MESHCODE_LOG_FORMAT";

  private static final Set<String> LEVEL_NAMES = Set.of("trace", "debug", "info", "warn", "error", "off");
  private static final Set<String> FORMATS = Set.of("text", "json");
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final String LEVEL_RULE = "one of trace, debug, info, warn, error, off";

  public LogSettings {
    packages = Map.copyOf(packages);
  }

  /** Reads the settings; {@code defaultLevel} when {@value #LEVEL} is unset. Bad values throw {@link ConfigException}. */
  public static LogSettings from(EnvConfig env, String defaultLevel) {
    Level level = level(LEVEL, env.string(LEVEL, defaultLevel), LEVEL_RULE);
    Map<String, Level> packages = new LinkedHashMap<>();
    String list = env.string(LEVELS, "").strip();
    if (!list.isEmpty()) {
      for (String entry : list.split(",", -1)) {
        String[] parts = entry.strip().split("=", -1);
        if (parts.length != 2 || !LOGGER_NAME.matcher(parts[0].strip()).matches()) {
          throw new ConfigException(LEVELS, "comma-separated package=level pairs, such as io.meshcode.bus=debug", entry.strip());
        }
        packages.put(parts[0].strip(), level(LEVELS, parts[1], "package=level pairs, the level " + LEVEL_RULE));
      }
    }
    String format = env.string(FORMAT, "text").strip().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new ConfigException(FORMAT, "text or json", format);
    }
    return new LogSettings(level, packages, format);
  }

  private static Level level(String variable, String value, String expected) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    if (!LEVEL_NAMES.contains(name)) {
      throw new ConfigException(variable, expected, value.strip());
    }
    return Level.toLevel(name);
  }

  /** Sets the levels on Logback (nothing if another SLF4J backend is in use, as in some tests). */
  public void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
    packages.forEach((name, packageLevel) -> context.getLogger(name).setLevel(packageLevel));
  }

  /** The level of everything, as {@value #LEVEL} writes it, for a child process that should log alike. */
  public String levelName() {
    return level.toString().toLowerCase(Locale.ROOT);
  }
}
