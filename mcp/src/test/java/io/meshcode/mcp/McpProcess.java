package io.meshcode.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The MCP server jar as a process spoken to line by line, the raw protocol an editor writes. */
final class McpProcess implements AutoCloseable {

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> allStdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  final List<JsonNode> notifications = Collections.synchronizedList(new ArrayList<>());
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private McpProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    stdoutPump = pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), line -> {
      allStdout.add(line);
      stdout.add(line);
    }, "mcp-stdout");
    stderrPump = pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr::add, "mcp-stderr");
  }

  static McpProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(McpAgent.java());
    command.addAll(McpAgent.jvmArgs(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("MESHCODE_"));
    builder.environment().putAll(env);
    return new McpProcess(builder.start());
  }

  private static Thread pump(BufferedReader reader, java.util.function.Consumer<String> sink, String name) {
    Thread thread = new Thread(() -> {
      try (reader) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  void send(JsonNode message) throws IOException {
    stdin.write((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Writes {@code line} (a whole line, its newline included) as it is, byte for byte. */
  void sendRaw(byte[] line) throws IOException {
    stdin.write(line);
    stdin.flush();
  }

  /**
   * The raw line answering request {@code id}, or an error with a null id (the answer to a line
   * the server could not read, which can name no id); null if none came within {@code timeout}.
   */
  String awaitAnswerLine(int id, Duration timeout) throws InterruptedException {
    return awaitLine(timeout, message -> isResponseTo(message, id)
        || message.has("id") && message.path("id").isNull() && message.has("error"));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void notify(String method, JsonNode params) throws IOException {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    send(message);
  }

  void sendRequest(int id, String method, JsonNode params) throws IOException {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    send(message);
  }

  /** Sends a request and answers its response's raw line; notifications meanwhile are kept. */
  String requestLine(int id, String method, JsonNode params, Duration timeout) throws Exception {
    sendRequest(id, method, params);
    return awaitResponseLine(id, timeout);
  }

  JsonNode request(int id, String method, JsonNode params, Duration timeout) throws Exception {
    return Json.parse(requestLine(id, method, params, timeout));
  }

  /** The raw line of the response to {@code id}; null if none came within {@code timeout}. */
  String awaitResponseLine(int id, Duration timeout) throws InterruptedException {
    return awaitLine(timeout, message -> isResponseTo(message, id));
  }

  private static boolean isResponseTo(JsonNode message, int id) {
    return message.has("id") && message.path("id").asInt(-1) == id && !message.has("method");
  }

  /** The first line {@code wanted} takes, keeping notifications that come before it; null after {@code timeout}. */
  private String awaitLine(Duration timeout, Predicate<JsonNode> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = stdout.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        return null;
      }
      JsonNode message = Json.parse(line);
      if (wanted.test(message)) {
        return line;
      }
      if (!message.has("id")) {
        notifications.add(message);
      }
    }
  }

  /** initialize and notifications/initialized; answers the initialize result. */
  JsonNode initialize() throws Exception {
    JsonNode result = initializeAnswer().path("result");
    notify("notifications/initialized", null);
    return result;
  }

  /** The whole answer to initialize: its result, or the error of a server that cannot serve its agent. */
  JsonNode initializeAnswer() throws Exception {
    ObjectNode params = Json.object().put("protocolVersion", "2025-06-18");
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "raw-test").put("version", "1");
    return request(1, "initialize", params, Duration.ofSeconds(30));
  }

  /** tools/call; answers the parsed JSON text of the result, with isError beside it. */
  JsonNode callTool(int id, String tool, JsonNode arguments, Duration timeout) throws Exception {
    ObjectNode params = Json.object().put("name", tool);
    params.set("arguments", arguments);
    JsonNode result = request(id, "tools/call", params, timeout).path("result");
    ObjectNode answer = (ObjectNode) Json.parse(result.path("content").get(0).path("text").asString());
    answer.put("_isError", result.path("isError").asBoolean(false));
    return answer;
  }

  void closeInput() throws IOException {
    stdin.close();
  }

  /**
   * The exit code, once everything the process wrote has been read; fails if the process is still
   * running after {@code timeout}.
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the MCP server did not exit within " + timeout + "\n" + stderr());
    }
    // Its pipes are closed now: each pump ends at its stream's end.
    stdoutPump.join(timeout.toMillis());
    stderrPump.join(timeout.toMillis());
    if (stdoutPump.isAlive() || stderrPump.isAlive()) {
      throw new AssertionError("the MCP server's output was not read to its end within " + timeout);
    }
    return process.exitValue();
  }

  List<String> stdoutLines() {
    synchronized (allStdout) {
      return List.copyOf(allStdout);
    }
  }

  /** Every line of stderr, read to its end: call after the process has exited. */
  List<String> stderrLines() throws InterruptedException {
    stderrPump.join(Duration.ofSeconds(10).toMillis());
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
