package io.meshcode.mcp;

import io.meshcode.bus.BusSettings;
import io.meshcode.bus.BusVerticle;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.gateway.GatewaySettings;
import io.meshcode.gateway.GatewayVerticle;
import io.meshcode.invites.InvitesSettings;
import io.meshcode.invites.InvitesVerticle;
import io.meshcode.local.ReplicatedServices;
import io.meshcode.local.TestReplicas;
import io.meshcode.memory.MemoryVerticle;
import io.meshcode.tasks.TasksSettings;
import io.meshcode.tasks.TasksVerticle;
import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real mesh in the test JVM, once per JVM: every service on the test kit's broker and
 * PostgreSQL, one gateway in front, each in its own Vert.x instance as the local mesh runs them;
 * or, with {@link TestInfra#REPLICAS_PROPERTY} at 2 or more, that many replicas of each service as
 * separate processes, the gateways behind one proxy ({@link ReplicatedServices}). Tests isolate
 * themselves by fresh owners and meshworks.
 */
final class TestMesh {

  static final int LEASE_SECONDS = 9;
  private static TestMesh instance;

  final String adminKey = SecretKeys.generate(SecretKeys.OWNER);
  private final List<RunningService> services = new ArrayList<>();
  private RunningService gateway;
  private ReplicatedServices replicated;

  private TestMesh() {}

  static synchronized TestMesh get() {
    if (instance == null) {
      TestMesh mesh = new TestMesh();
      try {
        mesh.startAll();
      } catch (RuntimeException e) {
        mesh.close();
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(mesh::close, "test-mesh-stop"));
      instance = mesh;
    }
    return instance;
  }

  private void startAll() {
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    env.put("MESHCODE_BOOTSTRAP_KEY", adminKey);
    env.put("MESHCODE_RATE_LIMIT_PER_MINUTE", "100000");
    env.put("MESHCODE_KEY_FAILURES_PER_MINUTE", "100000");
    // A short lease, so a test sees heartbeats keep it (the MCP server beats every third of it).
    Map<String, String> lease = Map.of("MESHCODE_SESSION_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
    if (TestInfra.replicas() > 1) {
      replicated = TestReplicas.start(env, lease, 0);
      return;
    }
    env.put("MESHCODE_BUS_URL", url(start("bus", (e, m) -> new BusVerticle(BusSettings.from(e, 0), m),
        lease)));
    env.put("MESHCODE_MEMORY_URL", url(start("memory", (e, m) -> new MemoryVerticle(ServiceSettings.from(e, "memory", 0), m))));
    env.put("MESHCODE_TASKS_URL", url(start("tasks", (e, m) -> new TasksVerticle(TasksSettings.from(e, 0), m))));
    env.put("MESHCODE_INVITES_URL", url(start("invites", (e, m) -> new InvitesVerticle(InvitesSettings.from(e, 0), m))));
    gateway = TestServices.start("gateway", (e, m) -> new GatewayVerticle(GatewaySettings.from(e), m), env);
  }

  private RunningService start(String name, ServiceFactory factory) {
    return start(name, factory, Map.of());
  }

  private RunningService start(String name, ServiceFactory factory, Map<String, String> env) {
    RunningService service = TestServices.start(name, factory, env);
    services.add(service);
    return service;
  }

  private static String url(RunningService service) {
    return "http://127.0.0.1:" + service.port();
  }

  int port() {
    return replicated != null ? replicated.publicPort() : gateway.port();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  HttpResponse<String> call(String method, String path, String key, JsonNode body) {
    return TestHttp.call(port(), method, path, key, body == null ? null : Json.write(body));
  }

  /** Calls and insists on {@code status}; answers the body ({@code {}} when empty). */
  JsonNode expect(int status, String method, String path, String key, JsonNode body) {
    HttpResponse<String> response = call(method, path, key, body);
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ", expected " + status + ": " + response.body());
    }
    return response.body().isEmpty() ? Json.object() : Json.parse(response.body());
  }

  /** A new owner account; answers its key. */
  String newOwner() {
    return expect(201, "POST", "/v1/accounts", adminKey, Json.object().put("name", "owner"))
        .path("key").path("key").asString();
  }

  /** A new meshwork of {@code owner} with these agents (name → role); answers its name. */
  String meshwork(String owner, String prefix, Map<String, String> agents) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    expect(201, "POST", "/v1/meshworks", owner, Json.object().put("name", name));
    agents.forEach((agent, role) -> {
      ObjectNode body = Json.object().put("name", agent).put("role", role);
      expect(201, "POST", "/v1/meshworks/" + name + "/agents", owner, body);
    });
    return name;
  }

  /** Invites someone to {@code agent} and redeems it; answers the guest key. */
  String guestKey(String owner, String meshwork, String agent) {
    String token = expect(201, "POST", "/v1/meshworks/" + meshwork + "/invites", owner, Json.object().put("agent", agent))
        .path("token").asString();
    return expect(201, "POST", "/v1/join", null, Json.object().put("token", token).put("display_name", "Guest"))
        .path("key").asString();
  }

  /** The agent's status as the meshwork shows it. */
  String status(String owner, String meshwork, String agent) {
    for (JsonNode each : expect(200, "GET", "/v1/meshworks/" + meshwork, owner, null).path("agents")) {
      if (agent.equals(each.path("name").asString())) {
        return each.path("status").asString();
      }
    }
    throw new AssertionError("no agent " + agent + " in " + meshwork);
  }

  /** The replay log's {@code tool.called} entries of an agent. */
  List<JsonNode> toolCalls(String owner, String meshwork, String agent) {
    List<JsonNode> calls = new ArrayList<>();
    JsonNode log = expect(200, "GET", "/v1/meshworks/" + meshwork + "/log?limit=500&agent=" + agent, owner, null);
    for (JsonNode entry : log.path("entries")) {
      if ("tool.called".equals(entry.path("type").asString())) {
        calls.add(entry.path("payload"));
      }
    }
    return calls;
  }

  void close() {
    if (replicated != null) {
      replicated.close();
    }
    if (gateway != null) {
      TestServices.stop(gateway);
    }
    services.forEach(TestServices::stop);
  }
}
