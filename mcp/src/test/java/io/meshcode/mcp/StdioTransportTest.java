package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The stdio transport")
class StdioTransportTest {

  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}\n";

  private final PipedOutputStream editor = new PipedOutputStream();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private PipedInputStream stdin;
  private StdioTransport transport;
  private McpAsyncServer server;

  @BeforeEach
  void connect() throws IOException {
    stdin = new PipedInputStream(editor, 64 * 1024);
    transport = new StdioTransport(McpJsonDefaults.getMapper(), stdin, stdout, new Cancellations());
  }

  @AfterEach
  void close() throws IOException {
    editor.close();
    if (server != null) {
      server.closeGracefully().block(Duration.ofSeconds(2));
    }
  }

  @Test
  @DisplayName("reads the editor's initialize from its start, before the server exists, and answers it once the server is built")
  void readsBeforeTheServerExists() throws IOException {
    transport.start();
    send(INITIALIZE);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(unread()).isZero());
    assertThat(answers()).isEmpty();

    server = build("the instructions");

    Eventually.within(Duration.ofSeconds(10), () -> assertThat(answers())
        .contains("\"id\":1").contains("\"result\"").contains("\"instructions\":\"the instructions\""));
  }

  @Test
  @DisplayName("refuses a request read before the server knew it cannot serve its agent")
  void refusesWhatItReadBeforeTheRefusal() throws IOException {
    transport.start();
    send(INITIALIZE);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(unread()).isZero());

    transport.refuseAll("no agent 'ghost' in meshwork 'team'");
    server = build("unused");

    Eventually.within(Duration.ofSeconds(10), () -> assertThat(answers())
        .contains("\"id\":1").contains("\"code\":" + StdioTransport.CANNOT_SERVE)
        .contains("no agent 'ghost' in meshwork 'team'").doesNotContain("\"result\""));
  }

  private McpAsyncServer build(String instructions) {
    return McpServer.async(transport)
        .serverInfo("meshcode", "test")
        .instructions(instructions)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonSchemaValidator(new NoSchemaValidation())
        .build();
  }

  private void send(String line) throws IOException {
    editor.write(line.getBytes(StandardCharsets.UTF_8));
    editor.flush();
  }

  private int unread() {
    try {
      return stdin.available();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String answers() {
    synchronized (stdout) {
      return stdout.toString(StandardCharsets.UTF_8);
    }
  }
}
