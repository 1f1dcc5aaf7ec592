package io.meshcode.core.logging;

import io.meshcode.logging.LogSettings;
import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The format logback.xml includes: {@code json} when {@value LogSettings#FORMAT} says so, else
 * {@code text}. A bad value falls back to text here, so Logback starts cleanly and
 * {@link LogSettings} can refuse it in one line.
 */
public final class LogFormat extends PropertyDefinerBase {

  @Override
  public String getPropertyValue() {
    // Where Logback looks for a variable: the context's properties, the JVM's, the environment.
    String format = getContext() == null ? null : getContext().getProperty(LogSettings.FORMAT);
    if (format == null) {
      format = System.getProperty(LogSettings.FORMAT, System.getenv(LogSettings.FORMAT));
    }
    return format != null && format.strip().toLowerCase(Locale.ROOT).equals("json") ? "json" : "text";
  }
}
