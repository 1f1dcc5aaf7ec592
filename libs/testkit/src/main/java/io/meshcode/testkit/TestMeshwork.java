package io.meshcode.testkit;

import io.meshcode.core.ids.Ids;
import java.util.function.BiFunction;

/**
 * A meshwork as the gateway names it to a service that knows meshworks only by id: its id in
 * tokens, a name in paths. Each test isolates itself by a fresh one. A service's test client
 * declares a record {@code Mesh(String id, String name)} implementing it, with the paths of its
 * own routes.
 */
public interface TestMeshwork {

  String id();

  String name();

  /** A new meshwork id, and a name made from it: {@code TestMeshwork.fresh(Mesh::new)}. */
  static <M extends TestMeshwork> M fresh(BiFunction<String, String, M> mesh) {
    String id = Ids.newId();
    return mesh.apply(id, "team-" + id.substring(id.length() - 8));
  }

  /** {@code /meshworks/<name>}. */
  default String path() {
    return "/meshworks/" + name();
  }

  /** {@code /meshworks/<name>/agents/<agent>}. */
  default String agentPath(String agent) {
    return path() + "/agents/" + agent;
  }
}
