package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One agent's MCP server ({@code target/meshcode-mcp.jar}, started by the official Java SDK
 * client over stdio as an editor starts it) and that client.
 */
final class McpAgent implements AutoCloseable {

  /** What a tool answered: its JSON text, and whether it was an error. */
  record Reply(boolean isError, JsonNode json) {}

  final String agent;
  private final McpSyncClient client;
  private final List<String> stderr;
  private final List<McpSchema.ProgressNotification> progress;
  private boolean closed;

  private McpAgent(String agent, McpSyncClient client, List<String> stderr, List<McpSchema.ProgressNotification> progress) {
    this.agent = agent;
    this.client = client;
    this.stderr = stderr;
    this.progress = progress;
  }

  static McpAgent start(TestMesh mesh, String key, String meshwork, String agent) {
    return start(mesh.url(), key, meshwork, agent, Map.of());
  }

  static McpAgent start(String serverUrl, String key, String meshwork, String agent, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(serverEnv(serverUrl, key));
    env.putAll(extraEnv);
    ServerParameters server = ServerParameters.builder(java())
        .args(jvmArgs("--project", meshwork, "--agent", agent))
        .env(env)
        .build();
    return start(server, agent);
  }

  /**
   * Starts a server that must refuse to serve ({@code initialize} fails, as an editor's MCP panel
   * shows it); answers the error's message.
   */
  static String refusal(TestMesh mesh, String key, String meshwork, String agent) {
    ServerParameters server = ServerParameters.builder(java())
        .args(jvmArgs("--project", meshwork, "--agent", agent))
        .env(serverEnv(mesh.url(), key))
        .build();
    McpAgent started;
    try {
      started = start(server, agent);
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof io.modelcontextprotocol.spec.McpError refused) {
          return refused.getMessage();
        }
      }
      throw e;
    }
    started.close();
    throw new AssertionError("the server for " + meshwork + "/" + agent + " initialized; its log:\n" + started.stderr());
  }

  private static McpAgent start(ServerParameters server, String agent) {
    StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    transport.setStdErrorHandler(stderr::add);
    List<McpSchema.ProgressNotification> progress = Collections.synchronizedList(new ArrayList<>());
    McpSyncClient client = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(70))
        .clientInfo(McpSchema.Implementation.builder("meshcode-test", "1").build())
        .progressConsumer(progress::add)
        .build();
    try {
      client.initialize();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new McpAgent(agent, client, stderr, progress);
  }

  /** The progress notifications received so far. */
  List<McpSchema.ProgressNotification> progress() {
    return List.copyOf(progress);
  }

  static Map<String, String> serverEnv(String serverUrl, String key) {
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_SERVER", serverUrl);
    env.put("MESHCODE_API_KEY", key);
    env.put("MESHCODE_EDITOR", "java-sdk-test");
    env.put("MESHCODE_MCP_PROGRESS_SECONDS", "1");
    env.put("MESHCODE_LOG_LEVEL", "debug");
    return env;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("meshcode.mcp.jar", "target/meshcode-mcp.jar"));
    assertThat(jar).as("the shaded jar is built by the package phase").exists();
    return jar;
  }

  /** {@code -jar meshcode-mcp.jar} with start-up flags kind to a shared build machine, then {@code args}. */
  static List<String> jvmArgs(String... args) {
    List<String> all = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar().toString()));
    all.addAll(List.of(args));
    return all;
  }

  String instructions() {
    return client.getServerInstructions();
  }

  List<McpSchema.Tool> tools() {
    return client.listTools().tools();
  }

  Reply call(String tool, Map<String, Object> arguments) {
    return call(tool, arguments, null);
  }

  Reply call(String tool, Map<String, Object> arguments, Map<String, Object> meta) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments, meta));
    assertThat(result.content()).hasSize(1);
    String text = ((McpSchema.TextContent) result.content().get(0)).text();
    return new Reply(Boolean.TRUE.equals(result.isError()), Json.parse(text));
  }

  /** Calls and insists on success; answers the result's JSON. */
  JsonNode ok(String tool, Map<String, Object> arguments) {
    Reply reply = call(tool, arguments);
    assertThat(reply.isError()).as(tool + " answered " + reply.json() + "\nserver log:\n" + stderr()).isFalse();
    assertThat(reply.json().path("ok").asBoolean()).isTrue();
    return reply.json();
  }

  String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** Ends the server as an editor does when its window closes (the SDK client sends SIGTERM). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      client.closeGracefully();
    }
  }
}
