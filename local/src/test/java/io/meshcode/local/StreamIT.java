package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The gateway's WebSocket stream over the real services: history, live entries, resume, scopes, revocation. */
@DisplayName("The WebSocket stream")
class StreamIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static MeshFixture mesh;
  private static String owner;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1);
    owner = mesh.newOwner("owner");
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static StreamClient connect(String key) {
    StreamClient client = StreamClient.connect(mesh.gatewayPort(0), key);
    assertThat(client.next(WAIT).getString("type")).isEqualTo("ready");
    return client;
  }

  private static JsonObject subscribe(StreamClient client, JsonObject request) {
    client.send(request.put("type", "subscribe"));
    return client.next(f -> !"entry".equals(f.getString("type")), WAIT);
  }

  private static void send(String key, String mw, String from, String to, String text) {
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/" + from + "/messages", key, new JsonObject().put("to", to).put("text", text));
  }

  private static JsonObject nextMessage(StreamClient client) {
    return client.next(f -> "entry".equals(f.getString("type")) && "message.sent".equals(f.getJsonObject("entry").getString("type")), WAIT)
        .getJsonObject("entry");
  }

  @Test
  @DisplayName("a subscription from 0 replays the history, then pushes messages and presence changes live, in sequence order")
  void historyThenLive() {
    String mw = mesh.meshwork(owner, "st", "alice", "bob");
    try (StreamClient client = connect(owner)) {
      JsonObject subscribed = subscribe(client, new JsonObject().put("meshwork", mw).put("after", 0));
      assertThat(subscribed.getString("type")).isEqualTo("subscribed");
      JsonObject created = client.next(f -> "meshwork.created".equals(f.getJsonObject("entry").getString("type")), WAIT);
      assertThat(created.getString("meshwork")).isEqualTo(mw);

      send(owner, mw, "alice", "bob", "live one");
      JsonObject message = nextMessage(client);
      assertThat(message.getJsonObject("payload").getString("text")).isEqualTo("live one");
      assertThat(message.getString("agent")).isEqualTo("alice");
      assertThat(message.getJsonArray("recipients").getList()).containsExactly("bob");

      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/bob/sessions", owner, new JsonObject());
      JsonObject status = client.next(f -> "agent.status".equals(f.getJsonObject("entry").getString("type")), WAIT).getJsonObject("entry");
      assertThat(status.getString("agent")).isEqualTo("bob");
      assertThat(status.getJsonObject("payload").getString("to")).isEqualTo("online");
      assertThat(status.getLong("seq")).isGreaterThan(message.getLong("seq"));
    }
  }

  @Test
  @DisplayName("after a reconnect, subscribing after the last seq seen delivers exactly what was missed")
  void resume() {
    String mw = mesh.meshwork(owner, "rs", "alice", "bob");
    long lastSeq;
    try (StreamClient client = connect(owner)) {
      subscribe(client, new JsonObject().put("meshwork", mw).put("after", 0));
      send(owner, mw, "alice", "bob", "m1");
      lastSeq = nextMessage(client).getLong("seq");
    }
    send(owner, mw, "alice", "bob", "m2");
    send(owner, mw, "bob", "alice", "m3");
    try (StreamClient client = connect(owner)) {
      subscribe(client, new JsonObject().put("meshwork", mw).put("after", lastSeq));
      List<String> texts = new ArrayList<>();
      long previous = lastSeq;
      while (texts.size() < 2) {
        JsonObject entry = client.next(f -> "entry".equals(f.getString("type")), WAIT).getJsonObject("entry");
        assertThat(entry.getLong("seq")).isGreaterThan(previous);
        previous = entry.getLong("seq");
        if ("message.sent".equals(entry.getString("type"))) {
          texts.add(entry.getJsonObject("payload").getString("text"));
        }
      }
      assertThat(texts).containsExactly("m2", "m3");
      send(owner, mw, "alice", "bob", "m4");
      assertThat(nextMessage(client).getJsonObject("payload").getString("text")).isEqualTo("m4");
    }
  }

  @Test
  @DisplayName("a browser authenticates with its first frame; a bad key or anything before auth closes the stream with 4401")
  void firstFrameAuth() throws Exception {
    try (StreamClient client = StreamClient.connect(mesh.gatewayPort(0), null)) {
      client.send(new JsonObject().put("type", "auth").put("key", owner));
      assertThat(client.next(WAIT).getString("type")).isEqualTo("ready");
      client.send(new JsonObject().put("type", "ping"));
      assertThat(client.next(WAIT).getString("type")).isEqualTo("pong");
    }
    try (StreamClient client = StreamClient.connect(mesh.gatewayPort(0), null)) {
      client.send(new JsonObject().put("type", "auth").put("key", "mc_" + "x".repeat(43)));
      assertThat(client.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(4401);
    }
    try (StreamClient client = StreamClient.connect(mesh.gatewayPort(0), null)) {
      client.send(new JsonObject().put("type", "subscribe").put("meshwork", "x"));
      assertThat(client.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(4401);
    }
    assertThat(mesh.call("GET", "/v1/stream", owner, null).statusCode()).isEqualTo(426);
    assertThat(mesh.call("GET", "/v1/stream", "mc_sk_nope", null).statusCode()).isEqualTo(426);
  }

  @Test
  @DisplayName("bad frames and unknown meshworks are answered with an error frame naming the problem, and the stream stays open")
  void badFrames() {
    try (StreamClient client = connect(owner)) {
      client.send(new JsonObject().put("type", "dance"));
      assertThat(client.next(WAIT).getJsonObject("error").getString("message"))
          .isEqualTo("unknown message type 'dance'; expected auth, subscribe, unsubscribe or ping");
      client.send(new JsonObject().put("type", "subscribe").put("meshwork", "Not A Name"));
      assertThat(client.next(WAIT).getJsonObject("error").getString("message")).startsWith("'meshwork' must be 1-40");
      client.send(new JsonObject().put("type", "subscribe").put("meshwork", "nowhere-" + System.nanoTime() % 1000).put("after", -1));
      assertThat(client.next(WAIT).getJsonObject("error").getString("message")).startsWith("'after' must be");
      client.send(new JsonObject().put("type", "subscribe").put("meshwork", "nowhere-" + System.nanoTime() % 1000));
      assertThat(client.next(WAIT).getJsonObject("error").getString("code")).isEqualTo("not_found");
      client.send(new JsonObject().put("type", "ping"));
      assertThat(client.next(WAIT).getString("type")).isEqualTo("pong");
    }
  }

  @Test
  @DisplayName("a guest follows its own agent only; a spectator watches the whole meshwork")
  void scopes() {
    String mw = mesh.meshwork(owner, "sc", "alice", "bob", "carol");
    String guest = mesh.join(owner, mw, "bob", "Bo").getString("key");
    String spectator = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject()).getString("token");
    try (StreamClient bob = connect(guest); StreamClient watcher = connect(spectator)) {
      bob.send(new JsonObject().put("type", "subscribe").put("meshwork", mw).put("agent", "alice"));
      assertThat(bob.next(WAIT).getJsonObject("error").getString("code")).isEqualTo("forbidden");
      assertThat(subscribe(bob, new JsonObject().put("meshwork", mw)).getString("agent")).isEqualTo("bob");
      assertThat(subscribe(watcher, new JsonObject().put("meshwork", mw)).getString("type")).isEqualTo("subscribed");

      send(owner, mw, "alice", "carol", "not for bob");
      send(owner, mw, "alice", "bob", "for bob");
      assertThat(nextMessage(watcher).getJsonObject("payload").getString("text")).isEqualTo("not for bob");
      assertThat(nextMessage(watcher).getJsonObject("payload").getString("text")).isEqualTo("for bob");
      assertThat(nextMessage(bob).getJsonObject("payload").getString("text")).isEqualTo("for bob");
    }
  }

  @Test
  @DisplayName("revoking a guest closes its open stream with 4401")
  void revocation() throws Exception {
    String mw = mesh.meshwork(owner, "rv", "alice", "bob");
    JsonObject joined = mesh.join(owner, mw, "bob", "Bo");
    try (StreamClient bob = connect(joined.getString("key"))) {
      subscribe(bob, new JsonObject().put("meshwork", mw));
      mesh.expect(204, "DELETE", "/v1/meshworks/" + mw + "/members/" + joined.getString("member_id"), owner, null);
      StreamClient.Closed closed = bob.closed.get(20, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(4401);
      assertThat(closed.reason()).isEqualTo("the key was revoked");
    }
  }

  @Test
  @DisplayName("revoking an owner key closes the streams it opened with 4401 (the revocation travels on mesh.auth)")
  void ownerKeyRevocation() throws Exception {
    String mw = mesh.meshwork(owner, "ok", "alice");
    JsonObject spare = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject().put("label", "watcher"));
    try (StreamClient watcher = connect(spare.getString("key"))) {
      subscribe(watcher, new JsonObject().put("meshwork", mw));
      mesh.expect(204, "DELETE", "/v1/keys/" + spare.getString("id"), owner, null);
      StreamClient.Closed closed = watcher.closed.get(20, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(4401);
      assertThat(closed.reason()).isEqualTo("the key was revoked");
    }
  }
}
