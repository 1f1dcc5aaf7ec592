package io.meshcode.local;

import io.meshcode.testkit.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An agent slot removed and added again under the same name, through the gateway: the friend who
 * gets it starts with nothing of the one who had it before.
 */
@DisplayName("A removed agent's slot given again")
class RemovalIT {

  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("holds none of the old agent's memory, unread messages, session or reservations")
  void startsEmpty() {
    String owner = mesh.newOwner("owner");
    String mw = mesh.meshwork(owner, "rm", "builder", "lead");
    String agentPath = "/v1/meshworks/" + mw + "/agents/builder";
    String sam = mesh.join(owner, mw, "builder", "Sam").getString("key");
    mesh.expect(200, "PUT", agentPath + "/memory/plan", sam, new JsonObject().put("value", "Sam's private plan"));
    mesh.expect(201, "POST", agentPath + "/sessions", sam, new JsonObject().put("client", "claude-code"));
    mesh.expect(201, "POST", agentPath + "/reservations", sam, new JsonObject().put("paths", new JsonArray().add("src/api")).put("reason", "api"));
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/lead/messages", owner,
        new JsonObject().put("to", "builder").put("text", "for Sam only"));

    mesh.expect(204, "DELETE", agentPath, owner, null);
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", "builder"));
    String kim = mesh.join(owner, mw, "builder", "Kim").getString("key");

    Eventually.equalTo(() -> mesh.call("POST", agentPath + "/sessions", kim, new JsonObject().put("client", "cursor")).statusCode(), 201);
    Eventually.equalTo(() -> mesh.expect(200, "GET", agentPath + "/memory", kim, null).getJsonArray("memories"), new JsonArray());
    Eventually.equalTo(() -> mesh.expect(200, "GET", agentPath + "/inbox", kim, null).getJsonArray("messages"), new JsonArray());
    Eventually.equalTo(() -> mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/reservations", kim, null).getJsonArray("reservations"), new JsonArray());
    mesh.expect(401, "GET", agentPath + "/memory", sam, null);
  }
}
