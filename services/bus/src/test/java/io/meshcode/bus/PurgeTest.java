package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.bus.LogFeed.Recipient;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.TestSql;
import io.meshcode.testkit.Eventually;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Removals purge the bus")
class PurgeTest {

  // The default lease (minutes): a new session in the slot can only open because the purge ended the old one.
  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private static final LogFeed feed = new LogFeed();

  @AfterAll
  static void close() {
    feed.close();
  }

  @Test
  @DisplayName("a removed agent's unread messages and session go; what it read, what came after, and other agents' stay")
  void agentRemoved() {
    Mesh mesh = Mesh.fresh();
    Caller bob = client.owner(mesh, "bob");
    Caller carol = client.owner(mesh, "carol");
    String read = LogFeed.sendMessage(client, mesh, "alice", "read before", new Recipient(mesh, "bob")).getString("id");
    JsonObject taken = bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject()).expect(200);
    bob.post(mesh.agentPath("bob") + "/ack", new JsonObject().put("cursor", taken.getString("cursor"))).expect(200);
    LogFeed.sendMessage(client, mesh, "alice", "never read", new Recipient(mesh, "bob"), new Recipient(mesh, "carol"));
    BusClient.open(bob, mesh, "bob");
    BusClient.open(carol, mesh, "carol");
    Instant removedAt = TestSql.separatingInstant();
    LogFeed.sendMessage(client, mesh, "alice", "for the next bob", new Recipient(mesh, "bob"));

    feed.send(Topics.EVENTS, LogFeed.event(mesh, Removals.AGENT_REMOVED, "bob", removedAt, new JsonObject().put("name", "bob")));

    Eventually.equalTo(() -> texts(bob, mesh, "bob"), List.of("for the next bob"));
    assertThat(texts(carol, mesh, "carol")).containsExactly("never read");
    assertThat(client.owner(mesh, "alice").get("/meshworks/" + mesh.name() + "/messages/" + read).expect(200)
        .getJsonArray("recipients").getJsonObject(0).getString("state")).isEqualTo("read");
    assertThat(BusClient.open(bob, mesh, "bob").getString("session_id")).as("a session for the slot's next agent").isNotNull();
    BusClient.open(carol, mesh, "carol", new JsonObject().put("client", "cursor"))
        .expectError(409, "agent_running", "agent already running in another window");
  }

  @Test
  @DisplayName("a deleted meshwork's inboxes, sessions, log and own messages go; a linked meshwork keeps what it was sent")
  void meshworkDeleted() {
    Mesh mesh = Mesh.fresh();
    Mesh linked = Mesh.fresh();
    String own = LogFeed.sendMessage(client, mesh, "alice", "inside", new Recipient(mesh, "bob")).getString("id");
    String across = LogFeed.sendMessage(client, mesh, "alice", "across", new Recipient(mesh, "bob"), new Recipient(linked, "dave"))
        .getString("id");
    Caller bob = client.owner(mesh, "bob");
    BusClient.open(bob, mesh, "bob");

    feed.send(Topics.EVENTS, LogFeed.event(mesh, Removals.MESHWORK_DELETED, null, new JsonObject()));

    LogFeed.await(client.owner(mesh), mesh, List::isEmpty);
    assertThat(texts(bob, mesh, "bob")).isEmpty();
    assertThat(TestSql.count("SELECT count(*) FROM bus.sessions WHERE meshwork_id = ?::uuid", mesh.id())).isZero();
    assertThat(TestSql.count("SELECT count(*) FROM bus.presence WHERE meshwork_id = ?::uuid", mesh.id())).isZero();
    assertThat(TestSql.count("SELECT count(*) FROM bus.messages WHERE id = ?::uuid", own)).isZero();
    assertThat(TestSql.count("SELECT count(*) FROM bus.messages WHERE id = ?::uuid", across)).isOne();
    assertThat(texts(client.owner(linked, "dave"), linked, "dave")).containsExactly("across");
    assertThat(LogFeed.entries(client.owner(linked), linked, "")).extracting(entry -> entry.getString("id")).containsExactly(across);

    // An event about the deleted meshwork that comes later is not logged. The linked meshwork's,
    // on the same partition behind it, shows when it has been read.
    feed.send(Topics.EVENTS, LogFeed.event(mesh, "task.created", "bob", new JsonObject()));
    EventEnvelope behind = LogFeed.event(linked, "task.created", "dave", new JsonObject());
    feed.send(Topics.EVENTS, mesh.id(), behind.toJson().encode());
    LogFeed.awaitId(client.owner(linked), linked, behind.id());
    assertThat(LogFeed.entries(client.owner(mesh), mesh, "")).isEmpty();
  }

  private static List<String> texts(Caller reader, Mesh mesh, String agent) {
    return reader.get(mesh.agentPath(agent) + "/inbox").expect(200).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("text")).toList();
  }

}
