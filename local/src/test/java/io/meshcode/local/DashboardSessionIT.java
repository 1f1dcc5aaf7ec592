package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Dashboard sessions against the real services behind two gateway replicas: a session acts as
 * the key that signed it in, on every replica, and ends the moment that key is revoked.
 */
@DisplayName("Dashboard sessions across gateway replicas")
class DashboardSessionIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(2);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static int status(int gateway, String path, String key) {
    return mesh.call(gateway, "GET", path, key, null).statusCode();
  }

  @Test
  @DisplayName("revoking the guest member, spectator link or owner key behind a session ends it on both replicas at the next request")
  void revocations() {
    String owner = mesh.newOwner("owner");
    JsonObject spare = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject());
    String mw = mesh.meshwork(owner, "ds", "backend");
    JsonObject guest = mesh.join(owner, mw, "backend", "Sam");
    JsonObject link = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject());

    String guestSession = mesh.dashboardSession(guest.getString("key"));
    String spectatorSession = mesh.dashboardSession(link.getString("token"));
    String ownerSession = mesh.dashboardSession(spare.getString("key"));
    for (int gateway = 0; gateway < 2; gateway++) {
      assertThat(mesh.expectAt(gateway, 200, "GET", "/v1/meshworks/" + mw, guestSession, null).getJsonArray("agents")).hasSize(1);
      assertThat(status(gateway, "/v1/meshworks/" + mw, spectatorSession)).isEqualTo(200);
      assertThat(status(gateway, "/v1/meshworks/" + mw, ownerSession)).isEqualTo(200);
    }
    assertThat(mesh.call(1, "POST", "/v1/meshworks/" + mw + "/agents/backend/messages", spectatorSession,
        new JsonObject().put("to", "backend").put("text", "hi")).statusCode()).as("read-only, as its key").isEqualTo(403);

    mesh.expectAt(1, 204, "DELETE", "/v1/meshworks/" + mw + "/members/" + guest.getString("member_id"), owner, null);
    mesh.expectAt(1, 204, "DELETE", "/v1/meshworks/" + mw + "/spectator-links/" + link.getString("id"), owner, null);
    mesh.expectAt(1, 204, "DELETE", "/v1/keys/" + spare.getString("id"), owner, null);
    for (int gateway = 0; gateway < 2; gateway++) {
      assertThat(status(gateway, "/v1/me", guestSession)).isEqualTo(401);
      assertThat(status(gateway, "/v1/meshworks/" + mw, spectatorSession)).isEqualTo(401);
      assertThat(status(gateway, "/v1/me", ownerSession)).isEqualTo(401);
    }
    assertThat(status(0, "/v1/me", owner)).isEqualTo(200);
  }

  @Test
  @DisplayName("signing out on one replica is 401 on the other")
  void signOut() {
    String owner = mesh.newOwner("owner");
    String session = mesh.dashboardSession(owner);
    assertThat(status(1, "/v1/me", session)).isEqualTo(200);
    mesh.expectAt(0, 204, "DELETE", "/v1/sessions/current", session, null);
    assertThat(status(1, "/v1/me", session)).isEqualTo(401);
  }

  @Test
  @DisplayName("a session opens the stream by its first frame, and revoking its key closes the stream with 4401 saying why")
  void stream() throws Exception {
    String owner = mesh.newOwner("owner");
    String mw = mesh.meshwork(owner, "ds", "alice", "bob");
    JsonObject guest = mesh.join(owner, mw, "bob", "Bo");
    String session = mesh.dashboardSession(guest.getString("key"));
    try (StreamClient stream = StreamClient.connect(mesh.gatewayPort(1), null)) {
      stream.send(new JsonObject().put("type", "auth").put("key", session));
      assertThat(stream.next(WAIT)).isEqualTo(new JsonObject().put("type", "ready").put("kind", "guest"));
      stream.send(new JsonObject().put("type", "subscribe").put("meshwork", mw));
      assertThat(stream.next(WAIT).getString("agent")).as("a guest's session follows its own agent").isEqualTo("bob");
      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/alice/messages", owner,
          new JsonObject().put("to", "bob").put("text", "for bob"));
      // Other entries (bob's membership events, logged asynchronously) may come first.
      JsonObject entry = stream.next(frame -> "entry".equals(frame.getString("type"))
          && "message.sent".equals(frame.getJsonObject("entry").getString("type")), WAIT);
      assertThat(entry.getJsonObject("entry").getJsonObject("payload").getString("text")).isEqualTo("for bob");

      mesh.expectAt(0, 204, "DELETE", "/v1/meshworks/" + mw + "/members/" + guest.getString("member_id"), owner, null);
      StreamClient.Closed closed = stream.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(4401);
      assertThat(closed.reason()).isEqualTo("the key this dashboard session was signed in with has been revoked");
    }
    try (StreamClient header = StreamClient.connect(mesh.gatewayPort(0), mesh.dashboardSession(owner))) {
      assertThat(header.next(WAIT).getString("kind")).as("in the Authorization header too").isEqualTo("owner");
    }
  }
}
