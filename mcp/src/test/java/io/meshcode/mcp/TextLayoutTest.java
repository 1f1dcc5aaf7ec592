package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The clients' text log line")
class TextLayoutTest {

  private final LoggerContext context = new LoggerContext();

  @Test
  @DisplayName("is the line the services' logback-text.xml pattern writes, for every kind of event")
  void sameAsTheServices() throws IOException {
    PatternLayout services = new PatternLayout();
    services.setContext(context);
    services.setPattern(servicesPattern());
    services.start();
    TextLayout client = new TextLayout();
    client.setContext(context);
    client.start();

    IllegalStateException failure = new IllegalStateException("boom\nsecond line", new java.io.IOException("refused"));
    failure.addSuppressed(new RuntimeException("also"));
    List<LoggingEvent> events = List.of(
        event(Level.INFO, "io.meshcode.mcp.AgentServer", "MeshCode MCP server ready for agent backend", Map.of(), null),
        event(Level.WARN, "io.meshcode.mcp.AgentSession", "a message\r\nin\n\nthree lines", Map.of("requestId", "r-1"), null),
        event(Level.ERROR, "McpServerMain", "the MCP server could not start", Map.of("requestId", ""), failure),
        event(Level.DEBUG, "reactor.core.publisher.Operators", "dropped", Map.of("other", "x"), new RuntimeException()),
        event(Level.TRACE, "a.b.C$Inner", "", Map.of(), null));
    for (LoggingEvent event : events) {
      assertThat(client.doLayout(event)).isEqualTo(services.doLayout(event));
    }
  }

  private LoggingEvent event(Level level, String logger, String message, Map<String, String> mdc, Throwable thrown) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, thrown, null);
    event.setMDCPropertyMap(mdc);
    // Minutes before midnight UTC, a day of summer time in many zones.
    event.setTimeStamp(1_783_036_740_007L);
    return event;
  }

  /** libs/core's logback-text.xml, on the test class path through the test mesh's services. */
  private String servicesPattern() throws IOException {
    try (InputStream xml = getClass().getClassLoader().getResourceAsStream("logback-text.xml")) {
      assertThat(xml).as("libs/core's logback-text.xml on the test class path").isNotNull();
      Matcher pattern = Pattern.compile("<pattern>(.*)</pattern>").matcher(new String(xml.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(pattern.find()).isTrue();
      return pattern.group(1);
    }
  }
}
