package io.meshcode.memory;

import io.meshcode.core.service.ServiceSettings;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ScopedServiceUnderTest;
import io.meshcode.testkit.TestMeshwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Drives a real memory service over HTTP the way the gateway does ({@link ScopedServiceUnderTest}):
 * the meshwork id in every token and, on memory routes, the agent.
 */
final class MemoryClient extends ScopedServiceUnderTest<ApiCaller> {

  private MemoryClient(Map<String, String> env) {
    super("memory", (config, metrics) -> new MemoryVerticle(ServiceSettings.from(config, "memory", Main.DEFAULT_PORT), metrics),
        env, ApiCaller::new);
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
  record Mesh(String id, String name) implements TestMeshwork {

    static Mesh fresh() {
      return TestMeshwork.fresh(Mesh::new);
    }

    /** Every agent's memory count, and the scratchpad's. */
    String memoryCountsPath() {
      return path() + "/memory";
    }

    String memoryPath(String agent) {
      return agentPath(agent) + "/memory";
    }

    String memoryPath(String agent, String key) {
      return memoryPath(agent) + "/" + segment(key);
    }

    String scratchpadPath() {
      return path() + "/scratchpad";
    }

    String scratchpadPath(String key) {
      return scratchpadPath() + "/" + segment(key);
    }
  }

  /** A key as one path segment, every reserved character percent-encoded ('/' as %2F, ' ' as %20). */
  static String segment(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // The steps most tests take. The caller's token names the agent on memory routes.

  static JsonObject value(String value) {
    return new JsonObject().put("value", value);
  }

  static ApiResponse remember(ApiCaller caller, Mesh mesh, String agent, String key, String value) {
    return caller.put(mesh.memoryPath(agent, key), value(value));
  }

  static JsonObject recall(ApiCaller caller, Mesh mesh, String agent, String key) {
    return caller.get(mesh.memoryPath(agent, key)).expect(200);
  }

  /** The agent's memories as {key: value}, in the order the service lists them. */
  static JsonObject memories(ApiCaller caller, Mesh mesh, String agent) {
    return byKey(caller.get(mesh.memoryPath(agent)).expect(200).getJsonArray("memories"));
  }

  static ApiResponse set(ApiCaller caller, Mesh mesh, String key, JsonObject body) {
    return caller.put(mesh.scratchpadPath(key), body);
  }

  /** The scratchpad as {key: value}, in the order the service lists it. */
  static JsonObject scratchpad(ApiCaller caller, Mesh mesh) {
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
}
