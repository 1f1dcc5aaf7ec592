package io.meshcode.tasks;

import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ScopedServiceUnderTest;
import io.meshcode.testkit.TestMeshwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Drives a real tasks service over HTTP the way the gateway does ({@link ScopedServiceUnderTest}),
 * with the steps tasks tests take.
 */
final class TasksClient extends ScopedServiceUnderTest<ApiCaller> {

  /** A sweep every 100 ms. */
  static final Map<String, String> FAST = Map.of("MESHCODE_RESERVATION_SWEEP_MILLIS", "100");

  private TasksClient(Map<String, String> env) {
    super("tasks", (config, metrics) -> new TasksVerticle(TasksSettings.from(config, Main.DEFAULT_PORT), metrics), env, ApiCaller::new);
  }

  /** A service for one test class: {@code @RegisterExtension static final TasksClient client = TasksClient.perClass(…);}. */
  static TasksClient perClass(Map<String, String> env) {
    return new TasksClient(env);
  }

  static TasksClient start(Map<String, String> env) {
    TasksClient client = new TasksClient(env);
    client.startService();
    return client;
  }

  static TasksClient start() {
    return start(Map.of());
  }

  /** A fresh meshwork, as the gateway names it: its id in tokens, a name in paths. */
  record Mesh(String id, String name) implements TestMeshwork {

    static Mesh fresh() {
      return TestMeshwork.fresh(Mesh::new);
    }

    String tasks() {
      return path() + "/tasks";
    }

    String task(String taskId) {
      return tasks() + "/" + taskId;
    }

    String claim(String agent, String taskId) {
      return agentPath(agent) + "/tasks/" + taskId + "/claim";
    }

    String reserve(String agent) {
      return agentPath(agent) + "/reservations";
    }

    String reservations() {
      return path() + "/reservations";
    }
  }

  // The steps most tests take, each checked on the way.

  static JsonObject create(ApiCaller caller, Mesh mesh, JsonObject body) {
    return caller.post(mesh.tasks(), body).expect(201);
  }

  static JsonObject create(ApiCaller caller, Mesh mesh, String title) {
    return create(caller, mesh, new JsonObject().put("title", title));
  }

  static ApiResponse claim(ApiCaller caller, Mesh mesh, String agent, String taskId) {
    return caller.post(mesh.claim(agent, taskId), null);
  }

  static ApiResponse reserve(ApiCaller caller, Mesh mesh, String agent, JsonObject body) {
    return caller.post(mesh.reserve(agent), body);
  }

  static JsonObject reservation(String reason, String... paths) {
    return new JsonObject().put("paths", new JsonArray(List.of((Object[]) paths))).put("reason", reason);
  }

  /** The live reservations as {@code agent:path} strings, in the list's order. */
  static List<String> held(ApiCaller caller, Mesh mesh) {
    JsonArray list = caller.get(mesh.reservations()).expect(200).getJsonArray("reservations");
    return list.stream().map(r -> ((JsonObject) r).getString("agent") + ":" + ((JsonObject) r).getString("path")).toList();
  }
}
