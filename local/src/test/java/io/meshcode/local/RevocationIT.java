package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Revocation through one gateway replica holds on the very next request through every other. */
@DisplayName("Revocation across gateway replicas")
class RevocationIT {

  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(2);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("a revoked member's key fails on the next request on both gateways")
  void memberRevoked() {
    String owner = mesh.newOwner("owner");
    String mw = "rv-" + Ids.newId().substring(24);
    mesh.expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", mw));
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", "backend"));
    JsonObject guest = mesh.join(owner, mw, "backend", "Sam");
    String key = guest.getString("key");
    assertThat(mesh.call(0, "GET", "/v1/me", key, null).statusCode()).isEqualTo(200);
    assertThat(mesh.call(1, "GET", "/v1/me", key, null).statusCode()).isEqualTo(200);

    assertThat(mesh.call(1, "DELETE", "/v1/meshworks/" + mw + "/members/" + guest.getString("member_id"), owner, null).statusCode())
        .isEqualTo(204);
    assertThat(mesh.call(0, "GET", "/v1/me", key, null).statusCode()).isEqualTo(401);
    assertThat(mesh.call(1, "GET", "/v1/me", key, null).statusCode()).isEqualTo(401);
    assertThat(mesh.call(0, "GET", "/v1/meshworks/" + mw, key, null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a revoked owner key and a revoked spectator link fail on the next request on both gateways")
  void keysAndLinksRevoked() {
    String owner = mesh.newOwner("owner");
    JsonObject spare = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject());
    String mw = "rv-" + Ids.newId().substring(24);
    mesh.expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", mw));
    JsonObject link = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject());
    assertThat(mesh.call(1, "GET", "/v1/meshworks/" + mw, link.getString("token"), null).statusCode()).isEqualTo(200);

    mesh.call(0, "DELETE", "/v1/keys/" + spare.getString("id"), owner, null);
    mesh.call(0, "DELETE", "/v1/meshworks/" + mw + "/spectator-links/" + link.getString("id"), owner, null);
    for (int gateway = 0; gateway < 2; gateway++) {
      assertThat(mesh.call(gateway, "GET", "/v1/me", spare.getString("key"), null).statusCode()).isEqualTo(401);
      assertThat(mesh.call(gateway, "GET", "/v1/meshworks/" + mw, link.getString("token"), null).statusCode()).isEqualTo(401);
    }
  }
}
