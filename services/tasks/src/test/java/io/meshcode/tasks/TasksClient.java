package io.meshcode.tasks;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ServiceUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Drives a real tasks service over HTTP the way the gateway does: every call carries an internal
 * token for the caller it stands for, with the meshwork id (and agent) the gateway has checked.
 */
final class TasksClient extends ServiceUnderTest {

  /** A sweep every 100 ms. */
  static final Map<String, String> FAST = Map.of("MESHCODE_RESERVATION_SWEEP_MILLIS", "100");

  private TasksClient(Map<String, String> env) {
    super("tasks", (config, metrics) -> new TasksVerticle(TasksSettings.from(config, Main.DEFAULT_PORT), metrics), env);
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
  record Mesh(String id, String name) {

    static Mesh fresh() {
      String id = Ids.newId();
      return new Mesh(id, "team-" + id.substring(id.length() - 8));
    }

    String tasks() {
      return "/meshworks/" + name + "/tasks";
    }

    String task(String taskId) {
      return tasks() + "/" + taskId;
    }

    String agent(String agent) {
      return "/meshworks/" + name + "/agents/" + agent;
    }

    String claim(String agent, String taskId) {
      return agent(agent) + "/tasks/" + taskId + "/claim";
    }

    String reserve(String agent) {
      return agent(agent) + "/reservations";
    }

    String reservations() {
      return "/meshworks/" + name + "/reservations";
    }
  }

  /** The owner on a meshwork route: the gateway puts the meshwork id in the token, and no agent. */
  Caller owner(Mesh mesh) {
    return owner(mesh, null);
  }

  /** The owner on an agent route: the gateway puts that agent in the token. */
  Caller owner(Mesh mesh, String agent) {
    return new Caller(new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), agent));
  }

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

  // The steps most tests take, each checked on the way.

  static JsonObject create(Caller caller, Mesh mesh, JsonObject body) {
    return caller.post(mesh.tasks(), body).expect(201);
  }

  static JsonObject create(Caller caller, Mesh mesh, String title) {
    return create(caller, mesh, new JsonObject().put("title", title));
  }

  static ApiResponse claim(Caller caller, Mesh mesh, String agent, String taskId) {
    return caller.post(mesh.claim(agent, taskId), null);
  }

  static ApiResponse reserve(Caller caller, Mesh mesh, String agent, JsonObject body) {
    return caller.post(mesh.reserve(agent), body);
  }

  static JsonObject reservation(String reason, String... paths) {
    return new JsonObject().put("paths", new JsonArray(List.of((Object[]) paths))).put("reason", reason);
  }

  /** The live reservations as {@code agent:path} strings, in the list's order. */
  static List<String> held(Caller caller, Mesh mesh) {
    JsonArray list = caller.get(mesh.reservations()).expect(200).getJsonArray("reservations");
    return list.stream().map(r -> ((JsonObject) r).getString("agent") + ":" + ((JsonObject) r).getString("path")).toList();
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
