package io.meshcode.cli;

import io.meshcode.bus.BusSettings;
import io.meshcode.bus.BusVerticle;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
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
import io.meshcode.tasks.TasksVerticle;
import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real mesh the CLI's tests talk to: every service in this JVM, each in its own Vert.x
 * instance, against the test kit's broker and PostgreSQL, behind one gateway; or, with {@link
 * TestInfra#REPLICAS_PROPERTY} at 2 or more, that many replicas of each service as separate
 * processes, the gateways behind one proxy ({@link ReplicatedServices}). Started once per test
 * JVM; each test isolates itself with a fresh owner account and fresh project names.
 */
public final class TestMesh {

  private static TestMesh instance;

  public final String adminKey = SecretKeys.generate(SecretKeys.OWNER);
  private final List<RunningService> services = new ArrayList<>();
  private final int port;
  private ReplicatedServices replicated;

  private TestMesh() {
    Map<String, String> gatewayEnv = new HashMap<>();
    gatewayEnv.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    gatewayEnv.put("MESHCODE_BOOTSTRAP_KEY", adminKey);
    gatewayEnv.put("MESHCODE_RATE_LIMIT_PER_MINUTE", "100000");
    gatewayEnv.put("MESHCODE_KEY_FAILURES_PER_MINUTE", "100000");
    if (TestInfra.replicas() > 1) {
      // The gateways' proxy listens on a port of its own choosing, and the replicas get its
      // address as their public URL: no port is chosen here that another program could take first.
      replicated = TestReplicas.start(gatewayEnv, Map.of(), 0);
      port = replicated.publicPort();
      return;
    }
    // The gateway's port stays held until the gateway listens on it, as the local mesh does.
    try (ServerSocket hold = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = hold.getLocalPort();
      String publicUrl = "http://127.0.0.1:" + port;
      gatewayEnv.put("MESHCODE_HTTP_PORT", Integer.toString(port));
      gatewayEnv.put("MESHCODE_PUBLIC_URL", publicUrl);
      gatewayEnv.put("MESHCODE_BUS_URL", url(start("bus", (env, m) -> new BusVerticle(BusSettings.from(env, 0), m), Map.of())));
      gatewayEnv.put("MESHCODE_MEMORY_URL", url(start("memory", (env, m) -> new MemoryVerticle(ServiceSettings.from(env, "memory", 0), m), Map.of())));
      gatewayEnv.put("MESHCODE_TASKS_URL", url(start("tasks", (env, m) -> new TasksVerticle(io.meshcode.tasks.TasksSettings.from(env, 0), m), Map.of())));
      gatewayEnv.put("MESHCODE_INVITES_URL", url(start("invites", (env, m) -> new InvitesVerticle(InvitesSettings.from(env, 0), m),
          Map.of("MESHCODE_PUBLIC_URL", publicUrl))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start("gateway", (env, m) -> new GatewayVerticle(GatewaySettings.from(env), m), gatewayEnv);
  }

  public static synchronized TestMesh get() {
    if (instance == null) {
      instance = new TestMesh();
      TestMesh started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-mesh-stop"));
    }
    return instance;
  }

  private RunningService start(String name, ServiceFactory factory, Map<String, String> env) {
    RunningService service = TestServices.start(name, factory, env);
    services.add(service);
    return service;
  }

  private static String url(RunningService service) {
    return "http://127.0.0.1:" + service.port();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** A user at {@code root} logged in to this mesh with {@code key}, the keychain and every editor faked. */
  public Cli loggedIn(java.nio.file.Path root, String key) {
    Cli cli = new Cli(root, url());
    cli.fakes().secretTool().allEditors();
    Cli.Result login = cli.run("login", key);
    if (login.exit() != 0) {
      throw new IllegalStateException("login failed: " + login);
    }
    return cli;
  }

  /** Calls the gateway and insists on {@code status}; answers the body. */
  public JsonObject expect(int status, String method, String path, String key, JsonObject body) {
    HttpResponse<String> response = TestHttp.call(port, method, path, key, body == null ? null : body.encode());
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ", expected " + status + ": " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  /** A new owner account; answers its key. */
  public String newOwner(String name) {
    return expect(201, "POST", "/v1/accounts", adminKey, new JsonObject().put("name", name)).getJsonObject("key").getString("key");
  }

  /** A fresh project name. */
  public static String name(String prefix) {
    return prefix + "-" + Ids.newId().substring(28);
  }

  /** A new project of {@code owner} with these agents; answers its name. */
  public String project(String owner, String prefix, String... agents) {
    String name = name(prefix);
    expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", name));
    for (String agent : agents) {
      expect(201, "POST", "/v1/meshworks/" + name + "/agents", owner, new JsonObject().put("name", agent).put("role", agent + " work"));
    }
    return name;
  }

  /** Invites to {@code agent} and redeems it over HTTP; answers the join answer (key, member_id, …). */
  public JsonObject join(String owner, String project, String agent, String displayName) {
    String token = expect(201, "POST", "/v1/meshworks/" + project + "/invites", owner, new JsonObject().put("agent", agent))
        .getString("token");
    return expect(201, "POST", "/v1/join", null, new JsonObject().put("token", token).put("display_name", displayName));
  }

  /** Opens a session for the agent, as its MCP server would; answers the session id. */
  public String openSession(String key, String project, String agent) {
    return expect(201, "POST", "/v1/meshworks/" + project + "/agents/" + agent + "/sessions", key,
        new JsonObject().put("client", "test")).getString("session_id");
  }

  private void stop() {
    if (replicated != null) {
      replicated.close();
    }
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        TestServices.stop(services.get(i));
      } catch (RuntimeException ignored) {
        // the JVM is ending anyway
      }
    }
  }
}
