package io.meshcode.memory;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ServiceUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Drives a real memory service over HTTP the way the gateway does: every call carries an internal
 * token for the caller it stands for, with the meshwork id (and, on memory routes, the agent) the
 * gateway has checked.
 */
final class MemoryClient extends ServiceUnderTest {

  private MemoryClient(Map<String, String> env) {
    super("memory", (config, metrics) -> new MemoryVerticle(ServiceSettings.from(config, "memory", Main.DEFAULT_PORT), metrics), env);
  }

  /** A service for one test class: {@code @RegisterExtension static final MemoryClient client = MemoryClient.perClass();}. */
  static MemoryClient perClass() {
    return new MemoryClient(Map.of());
  }

  static MemoryClient start() {
    MemoryClient client = new MemoryClient(Map.of());
    client.startService();
    return client;
  }

  /** A fresh meshwork, as the gateway names it: its id in tokens, a name in paths. */
  record Mesh(String id, String name) {

    static Mesh fresh() {
      String id = Ids.newId();
      return new Mesh(id, "team-" + id.substring(id.length() - 8));
    }

    String memoryPath(String agent) {
      return "/meshworks/" + name + "/agents/" + agent + "/memory";
    }

    String memoryPath(String agent, String key) {
      return memoryPath(agent) + "/" + segment(key);
    }

    String scratchpadPath() {
      return "/meshworks/" + name + "/scratchpad";
    }

    String scratchpadPath(String key) {
      return scratchpadPath() + "/" + segment(key);
    }
  }

  /** A key as one path segment, every reserved character percent-encoded ('/' as %2F, ' ' as %20). */
  static String segment(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The owner on one agent's route (the gateway puts the path's agent in the token), or on a meshwork route (agent null). */
  Caller owner(Mesh mesh, String agent) {
    return new Caller(new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), agent));
  }

  Caller owner(Mesh mesh) {
    return owner(mesh, null);
  }

  /** A guest: its token names its own agent on every route. */
  Caller guest(Mesh mesh, String agent) {
    return new Caller(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), agent));
  }

  Caller spectator(Mesh mesh) {
    return new Caller(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), null));
  }

  Caller as(InternalPrincipal principal) {
    return new Caller(principal);
  }

  /** Calls as one principal, with the internal token the gateway would send. */
  final class Caller extends ApiCaller {

    private Caller(InternalPrincipal principal) {
      super(port(), tokens(), principal);
    }
  }

  // The steps most tests take. The caller's token names the agent on memory routes.

  static JsonObject value(String value) {
    return new JsonObject().put("value", value);
  }

  static ApiResponse remember(Caller caller, Mesh mesh, String agent, String key, String value) {
    return caller.put(mesh.memoryPath(agent, key), value(value));
  }

  static JsonObject recall(Caller caller, Mesh mesh, String agent, String key) {
    return caller.get(mesh.memoryPath(agent, key)).expect(200);
  }

  /** The agent's memories as {key: value}, in the order the service lists them. */
  static JsonObject memories(Caller caller, Mesh mesh, String agent) {
    return byKey(caller.get(mesh.memoryPath(agent)).expect(200).getJsonArray("memories"));
  }

  static ApiResponse set(Caller caller, Mesh mesh, String key, JsonObject body) {
    return caller.put(mesh.scratchpadPath(key), body);
  }

  /** The scratchpad as {key: value}, in the order the service lists it. */
  static JsonObject scratchpad(Caller caller, Mesh mesh) {
    return byKey(caller.get(mesh.scratchpadPath()).expect(200).getJsonArray("entries"));
  }

  private static JsonObject byKey(JsonArray entries) {
    JsonObject values = new JsonObject();
    entries.forEach(e -> values.put(((JsonObject) e).getString("key"), ((JsonObject) e).getString("value")));
    return values;
  }

  /** Sends every request at once and waits for all the answers. */
  static List<ApiResponse> all(List<CompletableFuture<ApiResponse>> racing) {
    return racing.stream().map(CompletableFuture::join).toList();
  }

  static long count(List<ApiResponse> answers, int status) {
    return answers.stream().filter(a -> a.status() == status).count();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
