package io.meshcode.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The MCP side of the MCP hop: {@code node mcp-hop.mjs}, which starts two {@code meshcode mcp}
 * servers through the installed launcher and drives them with the official TypeScript SDK client.
 * Each block is one line to its stdin and one JSON line back with the block's timings.
 */
final class McpHop implements AutoCloseable {

  private final Process node;
  private final OutputStream commands;
  private final BufferedReader answers;
  private final Path stderr;

  private McpHop(Process node, Path stderr) {
    this.node = node;
    this.commands = node.getOutputStream();
    this.answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    this.stderr = stderr;
  }

  /**
   * Starts the script with the servers' environment: a home of their own in {@code work}, the
   * gateway and the owner key, and none of the caller's MESHCODE_ or JVM option variables but
   * {@code MESHCODE_JAVA_OPTS} (which the launcher adds to its flags, for trying others).
   */
  static McpHop start(Path nodeClient, Path launcher, Path work, String server, String ownerKey, String meshwork, String sender,
      String receiver) throws IOException {
    Path home = Files.createDirectories(work.resolve("home"));
    Path stderr = work.resolve("mcp-hop-stderr.txt");
    ProcessBuilder builder = new ProcessBuilder("node", nodeClient.resolve("mcp-hop.mjs").toString())
        .directory(nodeClient.toFile()).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> (name.startsWith("MESHCODE_") && !name.equals("MESHCODE_JAVA_OPTS"))
        || name.equals("JAVA_TOOL_OPTIONS") || name.equals("_JAVA_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
    builder.environment().put("HOME", home.toString());
    builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    builder.environment().put("MESHCODE_LAUNCHER", launcher.toAbsolutePath().toString());
    builder.environment().put("MESHCODE_SERVER", server);
    builder.environment().put("MESHCODE_API_KEY", ownerKey);
    builder.environment().put("MESHCODE_PROJECT", meshwork);
    builder.environment().put("MCP_SENDER", sender);
    builder.environment().put("MCP_RECEIVER", receiver);
    return new McpHop(builder.start(), stderr);
  }

  McpHopBench.Hops block(int messages, int pauseMs) throws IOException {
    commands.write((new JsonObject().put("messages", messages).put("pause_ms", pauseMs).encode() + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
    String line = answers.readLine();
    if (line == null) {
      throw new IllegalStateException("mcp-hop.mjs ended; its stderr:\n" + Files.readString(stderr));
    }
    JsonObject block = new JsonObject(line);
    JsonArray send = block.getJsonArray("send_ns");
    JsonArray wake = block.getJsonArray("wake_ns");
    McpHopBench.Hops hops = new McpHopBench.Hops();
    for (int i = 0; i < send.size(); i++) {
      hops.add(send.getLong(i), wake.getLong(i));
    }
    return hops;
  }

  /** Ends the script's input: it closes both clients, and so both servers, and exits. */
  @Override
  public void close() throws Exception {
    commands.close();
    if (!node.waitFor(30, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
  }
}
