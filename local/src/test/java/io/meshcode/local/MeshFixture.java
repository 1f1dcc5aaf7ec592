package io.meshcode.local;

import io.meshcode.bus.BusSettings;
import io.meshcode.bus.BusVerticle;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.gateway.GatewaySettings;
import io.meshcode.gateway.GatewayVerticle;
import io.meshcode.invites.InvitesSettings;
import io.meshcode.invites.InvitesVerticle;
import io.meshcode.memory.MemoryVerticle;
import io.meshcode.tasks.TasksVerticle;
import io.meshcode.testkit.TestHttp;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real services in this JVM, each in its own Vert.x instance, against the test kit's broker
 * and database, with as many gateways in front as a test asks for: the mesh a client sees. With
 * {@link TestInfra#REPLICAS_PROPERTY} at 2 or more, that many replicas of every service (and at
 * least as many gateways as asked for) as separate processes instead ({@link TestReplicas}).
 */
final class MeshFixture implements AutoCloseable {

  final String adminKey = SecretKeys.generate(SecretKeys.OWNER);
  private final List<RunningService> services = new ArrayList<>();
  private final List<RunningService> gateways = new ArrayList<>();
  private ReplicatedServices replicated;

  static MeshFixture start(int gatewayCount) {
    return start(gatewayCount, Map.of());
  }

  /** {@code replicas} of every service as separate processes, whatever the build asked for. */
  static MeshFixture startReplicated(int replicas) {
    return start(replicas, Map.of(), replicas);
  }

  /** With {@code gatewaySettings} added to every gateway's environment. */
  static MeshFixture start(int gatewayCount, Map<String, String> gatewaySettings) {
    return start(gatewayCount, gatewaySettings, TestInfra.replicas());
  }

  private static MeshFixture start(int gatewayCount, Map<String, String> gatewaySettings, int replicas) {
    MeshFixture mesh = new MeshFixture();
    try {
      mesh.startAll(gatewayCount, gatewaySettings, replicas);
      return mesh;
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  private void startAll(int gatewayCount, Map<String, String> gatewaySettings, int replicas) {
    Map<String, String> gatewayEnv = new HashMap<>();
    // The security matrix calls with unknown and revoked keys by the hundred, all from one address.
    gatewayEnv.put("MESHCODE_KEY_FAILURES_PER_MINUTE", "1000000");
    gatewayEnv.putAll(gatewaySettings);
    gatewayEnv.put("MESHCODE_INTERNAL_PRIVATE_KEY", TestInfra.get().internalKeys().privateKeyPem());
    gatewayEnv.put("MESHCODE_BOOTSTRAP_KEY", adminKey);
    if (replicas > 1) {
      replicated = TestReplicas.start(gatewayEnv, Map.of(), 0, replicas, gatewayCount);
      return;
    }
    gatewayEnv.put("MESHCODE_BUS_URL", url(start("bus", (env, m) -> new BusVerticle(BusSettings.from(env, 0), m))));
    gatewayEnv.put("MESHCODE_MEMORY_URL", url(start("memory", (env, m) -> new MemoryVerticle(ServiceSettings.from(env, "memory", 0), m))));
    gatewayEnv.put("MESHCODE_TASKS_URL", url(start("tasks", (env, m) -> new TasksVerticle(io.meshcode.tasks.TasksSettings.from(env, 0), m))));
    gatewayEnv.put("MESHCODE_INVITES_URL", url(start("invites", (env, m) -> new InvitesVerticle(InvitesSettings.from(env, 0), m))));
    for (int i = 0; i < gatewayCount; i++) {
      gateways.add(TestServices.start("gateway", (env, m) -> new GatewayVerticle(GatewaySettings.from(env), m), gatewayEnv));
    }
  }

  private RunningService start(String name, io.meshcode.core.service.ServiceLauncher.ServiceFactory factory) {
    RunningService service = TestServices.start(name, factory);
    services.add(service);
    return service;
  }

  private static String url(RunningService service) {
    return "http://127.0.0.1:" + service.port();
  }

  /** The replicas, when they run as processes (null in this JVM's mode). */
  ReplicatedServices replicated() {
    return replicated;
  }

  int gatewayPort(int index) {
    return replicated != null ? replicated.port(ReplicatedServices.replica("gateway", index)) : gateways.get(index).port();
  }

  HttpResponse<String> call(String method, String path, String key, JsonObject body) {
    return call(0, method, path, key, body);
  }

  HttpResponse<String> call(int gateway, String method, String path, String key, JsonObject body) {
    return TestHttp.call(gatewayPort(gateway), method, path, key, body == null ? null : body.encode());
  }

  /** Calls and insists on {@code status}; answers the body. */
  JsonObject expect(int status, String method, String path, String key, JsonObject body) {
    HttpResponse<String> response = call(method, path, key, body);
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ", expected " + status + ": " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  /** Calls gateway {@code gateway} and insists on {@code status}; answers the body. */
  JsonObject expectAt(int gateway, int status, String method, String path, String key, JsonObject body) {
    HttpResponse<String> response = call(gateway, method, path, key, body);
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ", expected " + status + ": " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  /** A new meshwork of {@code owner} with these agents; answers its name. */
  String meshwork(String owner, String prefix, String... agents) {
    String name = prefix + "-" + io.meshcode.core.ids.Ids.newId().substring(26);
    expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", name));
    for (String agent : agents) {
      expect(201, "POST", "/v1/meshworks/" + name + "/agents", owner, new JsonObject().put("name", agent));
    }
    return name;
  }

  /** A new owner account; answers its key. */
  String newOwner(String name) {
    return expect(201, "POST", "/v1/accounts", adminKey, new JsonObject().put("name", name)).getJsonObject("key").getString("key");
  }

  /** Invites someone to {@code agent} of {@code meshwork} and redeems it; answers the redeemed body (key, member_id, …). */
  JsonObject join(String ownerKey, String meshwork, String agent, String displayName) {
    String token = expect(201, "POST", "/v1/meshworks/" + meshwork + "/invites", ownerKey, new JsonObject().put("agent", agent))
        .getString("token");
    return expect(201, "POST", "/v1/join", null, new JsonObject().put("token", token).put("display_name", displayName));
  }

  /** Signs a dashboard in with {@code key} (a ticket minted and redeemed through gateway 0); answers the session. */
  String dashboardSession(String key) {
    String ticket = expect(201, "POST", "/v1/tickets", key, new JsonObject()).getString("ticket");
    return expect(200, "POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", ticket)).getString("session");
  }

  @Override
  public void close() {
    if (replicated != null) {
      replicated.close();
    }
    gateways.forEach(TestServices::stop);
    services.forEach(TestServices::stop);
  }
}
