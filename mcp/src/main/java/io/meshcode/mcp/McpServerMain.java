package io.meshcode.mcp;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server's entry points: {@code java -jar meshcode-mcp.jar --project <mw> --agent <name>},
 * and {@link #run(McpOptions)} for the CLI's {@code meshcode mcp}. stdout carries the protocol
 * only; every log line goes to stderr. Returns (exits) when stdin ends.
 */
public final class McpServerMain {

  /** Exit codes: stopped after stdin ended; a usage error; a failure to start. */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private McpServerMain() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(McpOptions.USAGE);
      System.exit(OK);
    }
    McpOptions options;
    try {
      configureLogging(System.getenv());
      options = McpOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("meshcode mcp: " + e.getMessage());
      System.err.println(McpOptions.USAGE);
      System.exit(USAGE);
      return;
    }
    System.exit(run(options));
  }

  /**
   * Logs to stderr as {@code MESHCODE_LOG_LEVEL}, {@code MESHCODE_LOG_LEVELS} and
   * {@code MESHCODE_LOG_FORMAT} say (by default MeshCode's lines at info, libraries at warn):
   * {@link StderrLogging}.
   *
   * @throws IllegalArgumentException naming the variable, if one of them is bad
   */
  public static void configureLogging(Map<String, String> env) {
    StderrLogging.configure(env);
  }

  /**
   * Runs the server on this process's stdin and stdout until stdin ends. {@code System.out} is
   * pointed at stderr meanwhile, so nothing but the protocol can reach stdout. A caller other than
   * {@link #main} (the CLI) calls {@link #configureLogging} first, and exits with the code.
   *
   * @return {@link #OK}, or {@link #FAILED} if it could not start or could not serve its agent
   */
  public static int run(McpOptions options) {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    try {
      return run(options, System.in, protocol);
    } finally {
      System.setOut(protocol);
    }
  }

  /** Runs the server on these streams until {@code in} ends. */
  public static int run(McpOptions options, InputStream in, OutputStream out) {
    Logger log = LoggerFactory.getLogger(McpServerMain.class);
    AgentServer server;
    try {
      server = AgentServer.start(options, in, out);
    } catch (RuntimeException e) {
      log.error("the MCP server could not start", e);
      return FAILED;
    }
    Thread onSignal = new Thread(server::close, "mcp-shutdown");
    Runtime.getRuntime().addShutdownHook(onSignal);
    server.awaitInputEnd();
    server.close();
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException e) {
      // already shutting down: the hook closes (has closed) the server
    }
    return server.refusal() == null ? OK : FAILED;
  }
}
