package io.meshcode.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

@DisplayName("Logging settings from the environment")
class LogSettingsTest {

  private static LogSettings settings(Map<String, String> env) {
    return LogSettings.from(env);
  }

  @Test
  @DisplayName("the level, per-package levels and the format come from the environment")
  void fromEnvironment() {
    LogSettings settings = settings(Map.of("MESHCODE_LOG_LEVEL", "WARN",
        "MESHCODE_LOG_LEVELS", " io.meshcode.bus=debug, org.apache.kafka=info", "MESHCODE_LOG_FORMAT", "json"));
    assertThat(settings.level()).isEqualTo(Level.WARN);
    assertThat(settings.packages()).containsExactlyInAnyOrderEntriesOf(Map.of("io.meshcode.bus", Level.DEBUG, "org.apache.kafka", Level.INFO));
    assertThat(settings.json()).isTrue();
    assertThat(settings(Map.of())).as("unset: each process's default level, text").isEqualTo(new LogSettings(null, Map.of(), false));
    assertThat(settings(Map.of()).levelOr(Level.WARN)).isEqualTo(Level.WARN);
  }

  @Test
  @DisplayName("a bad level, package list or format is refused in one line naming the variable")
  void refusesBadValues() {
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVEL", "loud"))).isInstanceOf(LogSettings.Refused.class)
        .hasMessage("MESHCODE_LOG_LEVEL: expected one of trace, debug, info, warn, error, off, got 'loud'");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus"))).isInstanceOf(LogSettings.Refused.class)
        .hasMessageStartingWith("MESHCODE_LOG_LEVELS: expected comma-separated package=level pairs");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus=debug,,x=info"))).isInstanceOf(LogSettings.Refused.class)
        .hasMessageStartingWith("MESHCODE_LOG_LEVELS:");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode..bus=debug"))).isInstanceOf(LogSettings.Refused.class);
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus=chatty"))).isInstanceOf(LogSettings.Refused.class)
        .hasMessageContaining("got 'chatty'");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_FORMAT", "xml"))).isInstanceOf(LogSettings.Refused.class)
        .hasMessage("MESHCODE_LOG_FORMAT: expected text or json, got 'xml'");
  }

  @Test
  @DisplayName("applying sets the level of everything and of each package on Logback")
  void applies() {
    LoggerContext context = new LoggerContext();
    Map<String, Level> defaults = Map.of(Logger.ROOT_LOGGER_NAME, Level.WARN, "io.meshcode", Level.INFO);
    settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.test.logging=trace")).apply(context, defaults);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).as("the default").isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.meshcode").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.meshcode.test.logging.Some").isTraceEnabled()).isTrue();

    settings(Map.of("MESHCODE_LOG_LEVEL", "error")).apply(context, defaults);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.meshcode.other").isWarnEnabled()).as("MESHCODE_LOG_LEVEL is every default's").isFalse();
  }

}
