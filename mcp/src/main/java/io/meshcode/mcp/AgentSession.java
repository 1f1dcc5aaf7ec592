package io.meshcode.mcp;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's session at the bus: a lease that says this window runs the agent, renewed by
 * heartbeats every third of the lease, each telling whether the editor is busy.
 *
 * <p>Without a session (another window runs the agent, another window took it over, the server
 * was unreachable) every tool answers why, and each tool call and each heartbeat tick tries to
 * open one again, without taking over: once the other window goes, this one gets the agent.
 */
final class AgentSession implements AutoCloseable {

  static final String TAKEN_OVER = "taken_over";
  static final String AGENT_RUNNING = "agent_running";
  static final String GONE = "gone";
  static final String SESSION_ID_TAKEN = "session_id_taken";
  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration HEARTBEAT_RETRY = Duration.ofSeconds(2);

  private final Gateway gateway;
  private final McpOptions options;
  private final EditorCpu editorCpu;
  private final ScheduledExecutorService timer;
  private volatile String sessionId;
  // The id offered for the next session (the client chooses it): an open that timed out here but
  // succeeded at the bus is then answered, when sent again, with the session it opened, rather
  // than refused as another window's (agent_running) until that session's lease runs out.
  private String nextSessionId = UUID.randomUUID().toString();
  private volatile ToolError problem;
  private volatile boolean closed;
  private ScheduledFuture<?> heartbeats;
  private ScheduledFuture<?> retry;
  private int heartbeatSeconds;
  private boolean heartbeatFailing;

  AgentSession(Gateway gateway, McpOptions options, EditorCpu editorCpu, ScheduledExecutorService timer) {
    this.gateway = gateway;
    this.options = options;
    this.editorCpu = editorCpu;
    this.timer = timer;
  }

  /** Opens the session at start-up (taking over if the options say so); never throws. */
  synchronized void open() {
    editorCpu.busySinceLastSample(); // the first sample is the baseline
    if (!tryOpen(options.takeOver())) {
      scheduleHeartbeats(10);
    }
  }

  boolean isOpen() {
    return sessionId != null;
  }

  String sessionId() {
    return sessionId;
  }

  /** Why there is no session, or null. */
  ToolError problem() {
    return sessionId == null ? problem : null;
  }

  /** Before each tool call: returns with a session open, or throws why there is none. */
  void require() {
    if (sessionId != null) {
      return;
    }
    synchronized (this) {
      if (sessionId == null && !tryOpen(false)) {
        throw problem;
      }
    }
  }

  private synchronized boolean tryOpen(boolean takeOver) {
    if (closed) {
      problem = new ToolError("closed", "the MCP server is stopping");
      return false;
    }
    ObjectNode body = Json.object().put("client", options.client()).put("session_id", nextSessionId);
    if (takeOver) {
      body.put("take_over", true);
    }
    try {
      JsonNode opened;
      try {
        opened = gateway.call("POST", gateway.agentPath("sessions"), body, HEARTBEAT_TIMEOUT);
      } catch (GatewayException e) {
        if (e.status() != 409 || !SESSION_ID_TAKEN.equals(e.code())) {
          throw e;
        }
        // The id offered went to a session that has ended since (its open timed out here): a new one.
        nextSessionId = UUID.randomUUID().toString();
        opened = gateway.call("POST", gateway.agentPath("sessions"), body.put("session_id", nextSessionId), HEARTBEAT_TIMEOUT);
      }
      nextSessionId = UUID.randomUUID().toString();
      holding(Json.text(opened, "session_id"));
      problem = null;
      int lease = opened.path("lease_seconds").asInt(30);
      LOG.info("session {} open for agent {} of meshwork {} (lease {} s{})", sessionId, gateway.agent(), gateway.meshwork(),
          lease, opened.path("took_over").asBoolean(false) ? ", took over another window" : "");
      scheduleHeartbeats(Math.max(1, lease / 3));
      return true;
    } catch (ToolError e) {
      if (problem != null && TAKEN_OVER.equals(problem.code()) && AGENT_RUNNING.equals(e.code())) {
        return false; // still taken over: say that rather than "already running"
      }
      if (problem == null || !problem.getMessage().equals(e.getMessage())) {
        LOG.warn("opening the session of agent {} failed: {}", gateway.agent(), e.getMessage());
      }
      problem = e;
      return false;
    }
  }

  private synchronized void scheduleHeartbeats(int seconds) {
    if (heartbeats != null && heartbeatSeconds == seconds) {
      return;
    }
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    heartbeatSeconds = seconds;
    heartbeats = timer.scheduleWithFixedDelay(this::heartbeat, seconds, seconds, TimeUnit.SECONDS);
  }

  // One heartbeat at a time: the tick and a retry soon after a failure share the timer's threads.
  private final Object beating = new Object();

  private void heartbeat() {
    synchronized (beating) {
      beat();
    }
  }

  private void beat() {
    try {
      String id = sessionId;
      if (closed) {
        return;
      }
      if (id == null) {
        synchronized (this) {
          if (sessionId == null) {
            tryOpen(false);
          }
        }
        return;
      }
      boolean busy = editorCpu.busySinceLastSample();
      gateway.call("PUT", gateway.agentPath("sessions", id), Json.object().put("busy", busy), HEARTBEAT_TIMEOUT);
      if (heartbeatFailing) {
        LOG.info("heartbeats reach the server again");
        heartbeatFailing = false;
      }
    } catch (GatewayException e) {
      onHeartbeatFailure(e);
    } catch (RuntimeException e) {
      LOG.warn("a heartbeat failed: {}", e.toString());
    }
  }

  /**
   * After a tool call made in session {@code calledIn} failed with {@code e}: if the bus refused it
   * because the session no longer holds the agent, this window stops acting (taken over: every tool
   * says so from now on) or, when the session merely ended (its lease ran out while the machine
   * slept, say), opens a new one without taking over.
   *
   * @return true if a new session is open, so the call may be made once more
   */
  synchronized boolean lost(String calledIn, ToolError e) {
    if (calledIn == null || !calledIn.equals(sessionId) || !(e instanceof GatewayException refused)) {
      return false;
    }
    if (refused.status() == 409 && TAKEN_OVER.equals(refused.code())) {
      takenOver();
      return false;
    }
    if (refused.status() == 410 && GONE.equals(refused.code())) {
      LOG.info("the session ended ({}); opening a new one", e.getMessage());
      holding(null);
      return tryOpen(false);
    }
    return false;
  }

  private synchronized void takenOver() {
    LOG.warn("agent {} was taken over by another window", gateway.agent());
    holding(null);
    problem = new ToolError(TAKEN_OVER, "this agent was taken over by another window");
  }

  /** The session this window holds from now on (null: none); the gateway sends it with every call. */
  private void holding(String id) {
    sessionId = id;
    gateway.session(id);
  }

  private synchronized void onHeartbeatFailure(GatewayException e) {
    if (e.status() == 409) {
      takenOver();
    } else if (e.status() == 410 || e.status() == 404) {
      LOG.info("the session ended ({}); opening a new one", e.getMessage());
      holding(null);
      tryOpen(false);
    } else {
      if (!heartbeatFailing) {
        heartbeatFailing = true;
        LOG.warn("a heartbeat failed, retrying: {}", e.getMessage());
      }
      retrySoon();
    }
  }

  /**
   * One more heartbeat {@link #HEARTBEAT_RETRY} after one that failed without a refusal (timed
   * out, the mesh unavailable), rather than a third of the lease later: on an overloaded mesh two
   * missed ticks would let the lease run out, and the window would have to open a new session.
   */
  private synchronized void retrySoon() {
    if (closed || heartbeatSeconds <= HEARTBEAT_RETRY.toSeconds() || (retry != null && !retry.isDone())) {
      return;
    }
    retry = timer.schedule(this::heartbeat, HEARTBEAT_RETRY.toSeconds(), TimeUnit.SECONDS);
  }

  /** Ends the session, so the agent shows offline at once rather than when the lease runs out. */
  @Override
  public void close() {
    String id;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (heartbeats != null) {
        heartbeats.cancel(false);
      }
      id = sessionId;
      holding(null);
    }
    if (id != null) {
      try {
        gateway.call("DELETE", gateway.agentPath("sessions", id), null, CLOSE_TIMEOUT);
        LOG.info("session {} closed", id);
      } catch (RuntimeException e) {
        LOG.warn("closing session {} failed (its lease will run out): {}", id, e.getMessage());
      }
    }
  }
}
