package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The owner sending as a person through the gateway (the dashboard's chat)")
class OwnerMessagesIT {

  private static MeshFixture mesh;
  private static String owner;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1);
    owner = mesh.newOwner("Ada");
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static String messages(String mw) {
    return "/v1/meshworks/" + mw + "/messages";
  }

  private static JsonObject sendAsOwner(String key, String mw, Object to, String text) {
    return mesh.expect(201, "POST", messages(mw), key, new JsonObject().put("to", to).put("text", text));
  }

  /** What a wait hands {@code agent}: its one unread message, acknowledged (a wait never consumes). */
  private static JsonObject received(String mw, String agent) {
    String path = "/v1/meshworks/" + mw + "/agents/" + agent;
    JsonObject waited = mesh.expect(200, "GET", path + "/wait?timeout=0", owner, null);
    JsonArray batch = waited.getJsonArray("messages");
    assertThat(batch).as(agent).hasSize(1);
    mesh.expect(200, "POST", path + "/ack", owner, new JsonObject().put("cursor", waited.getString("cursor")));
    return batch.getJsonObject(0);
  }

  private static void assertFromAda(JsonObject message, String text) {
    assertThat(message.getString("from")).isEqualTo("@owner");
    assertThat(message.getString("from_person")).isEqualTo("Ada");
    assertThat(message.getString("text")).isEqualTo(text);
  }

  @Test
  @DisplayName("reaches one agent, a list, or every agent ('*'), each shown from the person; the log and getMessage name her")
  void oneListEveryone() {
    String mw = mesh.meshwork(owner, "om", "alice", "bob", "carol");
    JsonObject sent = sendAsOwner(owner, mw, "alice", "to alice");
    assertThat(sent.getString("from")).isEqualTo("@owner");
    assertThat(sent.getString("from_person")).isEqualTo("Ada");
    assertFromAda(received(mw, "alice"), "to alice");

    sendAsOwner(owner, mw, new JsonArray().add("bob").add("carol"), "to two");
    for (String agent : List.of("bob", "carol")) {
      assertFromAda(received(mw, agent), "to two");
    }

    JsonObject broadcast = sendAsOwner(mesh.dashboardSession(owner), mw, "*", "to everyone");
    assertThat(broadcast.getJsonArray("recipients")).hasSize(3);
    for (String agent : List.of("alice", "bob", "carol")) {
      assertFromAda(received(mw, agent), "to everyone");
    }

    JsonArray entries = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/log?type=message.sent&before=" + Long.MAX_VALUE + "&limit=1",
        owner, null).getJsonArray("entries");
    JsonObject newest = entries.getJsonObject(0);
    assertThat(newest.getString("agent")).isEqualTo("@owner");
    assertThat(newest.getJsonObject("payload").getString("from_person")).isEqualTo("Ada");
    assertThat(newest.getJsonObject("payload").getString("text")).isEqualTo("to everyone");
    JsonObject found = mesh.expect(200, "GET", messages(mw) + "/" + sent.getString("id"), owner, null);
    assertThat(found.getString("from_person")).isEqualTo("Ada");
  }

  @Test
  @DisplayName("a guest key and a spectator token are 403; an unknown agent is 404 naming it; a from_person in the body is refused")
  void refused() {
    String mw = mesh.meshwork(owner, "or", "alice", "bob");
    JsonObject body = new JsonObject().put("to", "alice").put("text", "hi");
    String guest = mesh.join(owner, mw, "bob", "Bo").getString("key");
    assertThat(mesh.call("POST", messages(mw), guest, body).statusCode()).isEqualTo(403);
    String spectator = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject()).getString("token");
    assertThat(mesh.call("POST", messages(mw), spectator, body).statusCode()).isEqualTo(403);

    var unknown = mesh.call("POST", messages(mw), owner, new JsonObject().put("to", new JsonArray().add("alice").add("zed")).put("text", "hi"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown_recipient").contains("zed");

    var forged = mesh.call("POST", messages(mw), owner, body.copy().put("from_person", "Mallory"));
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("from_person");
    assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/agents/alice/inbox/count", owner, null).getLong("unread")).isZero();
  }
}
