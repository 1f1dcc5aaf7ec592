package io.meshcode.bus;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ScopedServiceUnderTest;
import io.meshcode.testkit.TestMeshwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * Drives a real bus service over HTTP the way the gateway does ({@link ScopedServiceUnderTest}),
 * with the steps bus tests take.
 */
final class BusClient extends ScopedServiceUnderTest<BusClient.Caller> {

  /** Settings that make time pass quickly: leases of 3 s, idle after 1 s, a sweep every 200 ms. */
  static final Map<String, String> FAST = Map.of(
      "MESHCODE_SESSION_LEASE_SECONDS", "3",
      "MESHCODE_IDLE_SECONDS", "1",
      "MESHCODE_PRESENCE_SWEEP_MILLIS", "200");

  private BusClient(Map<String, String> env) {
    super("bus", (config, metrics) -> new BusVerticle(BusSettings.from(config, Main.DEFAULT_PORT), metrics), env, Caller::new);
  }

  /** A service for one test class: {@code @RegisterExtension static final BusClient client = BusClient.perClass(…);}. */
  static BusClient perClass(Map<String, String> env) {
    return new BusClient(env);
  }

  static BusClient start(Map<String, String> env) {
    BusClient client = new BusClient(env);
    client.startService();
    return client;
  }

  static BusClient start() {
    return start(Map.of());
  }

  /** A fresh meshwork, as the gateway names it: its id in tokens, a name in paths. */
  record Mesh(String id, String name) implements TestMeshwork {

    static Mesh fresh() {
      return TestMeshwork.fresh(Mesh::new);
    }

    String presencePath() {
      return path() + "/presence";
    }
  }

  /** The owner sending as {@code agent}, with the recipients the gateway resolved vouched for in the token. */
  Caller sender(Mesh mesh, String agent, Mesh recipientMesh, String... recipients) {
    JsonArray resolved = new JsonArray();
    for (String recipient : recipients) {
      resolved.add(new JsonObject().put("meshwork_id", recipientMesh.id()).put("meshwork", recipientMesh.name()).put("agent", recipient));
    }
    return sender(mesh, agent, resolved);
  }

  /** The owner sending as {@code agent}, with {@code resolved} ({@code {meshwork_id, meshwork, agent}} each) vouched for in the token. */
  Caller sender(Mesh mesh, String agent, JsonArray resolved) {
    InternalPrincipal owner = new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), agent);
    return as(owner.vouching(new JsonObject().put("meshwork_name", mesh.name()).put("recipients", resolved)));
  }

  Caller sender(Mesh mesh, String agent, String... recipients) {
    return sender(mesh, agent, mesh, recipients);
  }

  /** Calls as one principal, with the internal token the gateway would send; the type bus tests and {@link LogFeed} name. */
  static final class Caller extends ApiCaller {

    private Caller(int port, InternalTokens tokens, InternalPrincipal principal) {
      super(port, tokens, principal);
    }
  }

  // The steps most tests take, each checked on the way. The caller's token names the agent.

  static ApiResponse open(Caller caller, Mesh mesh, String agent, JsonObject body) {
    return caller.post(mesh.agentPath(agent) + "/sessions", body);
  }

  static JsonObject open(Caller caller, Mesh mesh, String agent) {
    return open(caller, mesh, agent, new JsonObject().put("client", "claude-code")).expect(201);
  }

  static ApiResponse heartbeat(Caller caller, Mesh mesh, String agent, String session, JsonObject body) {
    return caller.put(mesh.agentPath(agent) + "/sessions/" + session, body);
  }

  static ApiResponse heartbeat(Caller caller, Mesh mesh, String agent, String session) {
    return heartbeat(caller, mesh, agent, session, new JsonObject());
  }

  /** The presence list's entry for {@code agent}, or null when it is absent. */
  static JsonObject presenceOf(Caller caller, Mesh mesh, String agent) {
    JsonArray agents = caller.get(mesh.presencePath()).expect(200).getJsonArray("agents");
    for (int i = 0; i < agents.size(); i++) {
      if (agent.equals(agents.getJsonObject(i).getString("agent"))) {
        return agents.getJsonObject(i);
      }
    }
    return null;
  }

  static String statusOf(Caller caller, Mesh mesh, String agent) {
    JsonObject entry = presenceOf(caller, mesh, agent);
    return entry == null ? null : entry.getString("status");
  }

  /** Waits until {@code agent}'s status in the presence list is {@code expected}. */
  static void awaitStatus(Caller caller, Mesh mesh, String agent, String expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String status = statusOf(caller, mesh, agent);
    while (!expected.equals(status)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(agent + " stayed " + status + ", expected " + expected);
      }
      sleep(50);
      status = statusOf(caller, mesh, agent);
    }
  }
}
