package io.meshcode.mcp;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * The services' text line (libs/core's logback-text.xml), written by hand: {@code HH:mm:ss.SSS LEVEL Logger [request id] - message | stack trace}, the
 * newlines of the message and the stack trace folded into the line. Logback's PatternLayout would
 * load and register every converter it knows (about 50 ms of a client's start-up on a loaded
 * 2-core machine); {@code TextLayoutTest} holds this to the pattern's output.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

  private static final Pattern NEWLINES = Pattern.compile("[\r\n]+");
  private static final Pattern TRACE_NEWLINES = Pattern.compile("[\r\n]+\\s*");

  private final TimeZone zone = TimeZone.getDefault();
  private final ThrowableProxyConverter stackTrace = new ThrowableProxyConverter();

  @Override
  public void start() {
    stackTrace.setContext(getContext());
    stackTrace.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    time(line, event.getTimeStamp());
    String level = event.getLevel().toString();
    line.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length());
    String requestId = event.getMDCPropertyMap().get("requestId");
    if (requestId != null && !requestId.isEmpty()) {
      line.append(" [").append(requestId).append(']');
    }
    line.append(" - ").append(NEWLINES.matcher(event.getFormattedMessage()).replaceAll(" "));
    if (event.getThrowableProxy() != null) {
      String trace = TRACE_NEWLINES.matcher(stackTrace.convert(event)).replaceAll(" | ");
      if (trace.endsWith(" | ")) {
        trace = trace.substring(0, trace.length() - 3);
      }
      if (!trace.isEmpty()) {
        line.append(" | ").append(trace);
      }
    }
    return line.append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private void time(StringBuilder line, long millis) {
    long local = millis + zone.getOffset(millis);
    long ofDay = Math.floorMod(local, 24L * 60 * 60 * 1000);
    two(line, ofDay / 3_600_000).append(':');
    two(line, ofDay / 60_000 % 60).append(':');
    two(line, ofDay / 1000 % 60).append('.');
    long ms = ofDay % 1000;
    line.append(ms < 100 ? "0" : "").append(ms < 10 ? "0" : "").append(ms);
  }

  private static StringBuilder two(StringBuilder line, long value) {
    return line.append(value < 10 ? "0" : "").append(value);
  }
}
