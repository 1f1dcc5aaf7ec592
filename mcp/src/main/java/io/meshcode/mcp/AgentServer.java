package io.meshcode.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's MCP server, from start-up (the session opened and the instructions read, side by
 * side) to the end of stdin (the session closed).
 *
 * <p><b>A second window</b> for an agent another window runs still starts: the editor shows the
 * server connected, its instructions say why the agent is not this window's, and every tool
 * answers {@code agent already running in another window} until the other window's session ends
 * (then the next tool call or heartbeat opens one). Failing the start instead would leave the
 * agent without tools and the user with nothing but an editor's "server failed" to go on.
 *
 * <p><b>An agent it can never serve</b> (a refused key, no such project or agent: {@link
 * StartRefusal}) is different: waiting cannot help, so every request, {@code initialize} first,
 * is answered with an error saying what is wrong, which the editor's MCP panel shows.
 */
final class AgentServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
  private static final Duration START_READS = Duration.ofSeconds(5);

  private final McpOptions options;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "mcp-timer");
    thread.setDaemon(true);
    return thread;
  });
  private final AgentSession session;
  private final ActivityLog activity;
  private final StdioTransport transport;
  private final McpAsyncServer server;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final String refusal;

  private AgentServer(McpOptions options, InputStream in, OutputStream out) {
    this.options = options;
    long deadline = System.nanoTime() + START_READS.toNanos();
    Gateway gateway = new Gateway(options);
    session = new AgentSession(gateway, options, EditorCpu.ofEditor(), timer);
    CompletableFuture<Void> opened = CompletableFuture.runAsync(session::open);
    Briefing briefing = Briefing.start(gateway);
    // The editor's initialize is read and parsed while the session opens (it waits for the server).
    Cancellations cancellations = new Cancellations();
    transport = new StdioTransport(McpJsonDefaults.getMapper(), in, out, cancellations);
    transport.start();

    MessageSender sender = new MessageSender(gateway);
    Inbox inbox = new Inbox(gateway, sender, timer, options.progressInterval());
    activity = new ActivityLog(gateway);
    AgentTools tools = new AgentTools(AgentTools.all(gateway, inbox, sender), session, activity, cancellations);
    // Everything of the server but its instructions, while the session is being opened.
    McpServer.AsyncSpecification<?> spec = McpServer.async(transport)
        .serverInfo("meshcode", version())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .validateToolInputs(false)
        .jsonSchemaValidator(new NoSchemaValidation())
        .tools(tools.specifications());

    opened.join();
    refusal = StartRefusal.reason(session.problem(), gateway);
    if (refusal != null) {
      // Nothing will ever work: say so where the editor shows it, instead of retrying a session.
      LOG.error("cannot serve agent {} of meshwork {}: {}", options.agent(), options.project(), refusal);
      session.close();
      transport.refuseAll(refusal);
    }
    String instructions = briefing.instructions(session.problem(), deadline);
    server = spec.instructions(instructions).build();
    LOG.info("MeshCode MCP server ready for agent {} of meshwork {} at {}{}", options.agent(), options.project(), options.server(),
        ProcessHandle.current().info().startInstant()
            .map(start -> " (" + Duration.between(start, java.time.Instant.now()).toMillis() + " ms after launch)").orElse(""));
  }

  static AgentServer start(McpOptions options, InputStream in, OutputStream out) {
    return new AgentServer(options, in, out);
  }

  /** Why every request was refused (the agent cannot be served at all), or null. */
  String refusal() {
    return refusal;
  }

  /** Blocks until stdin ends. */
  void awaitInputEnd() {
    transport.inputEnded().join();
    LOG.info("stdin closed: stopping the MCP server of agent {}", options.agent());
  }

  /**
   * Stops: the session first (the agent shows offline at once), then the last tool-call reports,
   * then the MCP session. A second caller (a
   * SIGTERM's hook while stdin's end is being handled) waits for the first to finish, or the JVM
   * would halt in the middle of closing the session.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      try {
        stopped.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("waiting for the server to stop: {}", e.toString());
      }
      return;
    }
    try {
      stop();
    } finally {
      stopped.complete(null);
    }
  }

  private void stop() {
    session.close();
    activity.close();
    try {
      server.closeGracefully().block(Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      LOG.debug("closing the MCP session: {}", e.toString());
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String version() {
    String version = AgentServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
