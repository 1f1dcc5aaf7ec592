package io.meshcode.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An agent's session held as the MCP server holds one in an editor window: opened once, renewed
 * every third of its lease, opened again when it ended (a renewal answered 410 or 404, say after
 * renewals failed for a whole lease), and named with the agent on each of the agent's calls
 * ({@code Meshcode-Session}, {@code Meshcode-Agent}), so that the bus checks the session still
 * holds the agent on every send, wait and acknowledgement.
 */
final class AgentWindow {

  private final Api api;
  private final Vertx vertx;
  private final String agent;
  private final String sessions;
  private final Handler<AsyncResult<HttpResponse<Buffer>>> renewed;
  private volatile String id;
  private final AtomicBoolean reopening = new AtomicBoolean();
  private long timer = -1;

  private AgentWindow(Api api, Vertx vertx, String meshwork, String agent, Handler<AsyncResult<HttpResponse<Buffer>>> renewed) {
    this.api = api;
    this.vertx = vertx;
    this.agent = agent;
    this.sessions = Api.agentPath(meshwork, agent) + "/sessions";
    this.renewed = renewed;
  }

  /** Opens the agent's session (waiting for it) and starts renewing it; each renewal's outcome goes to {@code renewed}. */
  static AgentWindow open(Api api, Vertx vertx, String meshwork, String agent, Handler<AsyncResult<HttpResponse<Buffer>>> renewed) {
    AgentWindow window = new AgentWindow(api, vertx, meshwork, agent, renewed);
    JsonObject opened = api.await(api.expect(201, HttpMethod.POST, window.sessions, new JsonObject().put("client", "bench")));
    window.id = opened.getString("session_id");
    long every = Math.max(1, opened.getInteger("lease_seconds", 30) / 3) * 1000L;
    window.timer = vertx.setPeriodic(every, tick -> window.renew());
    return window;
  }

  /** The headers the agent's calls carry, as the MCP server sends them. */
  MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap().add("Meshcode-Session", id).add("Meshcode-Agent", agent);
  }

  /**
   * Whether a call of the agent's was refused because its session ended (410): then, as the MCP
   * server does, a new session is opened (one at a time) and the call may be made again in it.
   */
  boolean ended(HttpResponse<Buffer> answer) {
    if (answer.statusCode() != 410) {
      return false;
    }
    reopen();
    return true;
  }

  private void renew() {
    api.call(HttpMethod.PUT, sessions + "/" + id, new JsonObject().put("busy", false)).onComplete(answer -> {
      renewed.handle(answer);
      if (answer.succeeded() && (answer.result().statusCode() == 410 || answer.result().statusCode() == 404)) {
        reopen();
      }
    });
  }

  private void reopen() {
    if (reopening.compareAndSet(false, true)) {
      api.expect(201, HttpMethod.POST, sessions, new JsonObject().put("client", "bench"))
          .onComplete(opened -> {
            if (opened.succeeded()) {
              id = opened.result().getString("session_id");
            }
            reopening.set(false);
          });
    }
  }

  /** Stops renewing; the session then ends when its lease runs out. */
  void close() {
    vertx.cancelTimer(timer);
  }
}
