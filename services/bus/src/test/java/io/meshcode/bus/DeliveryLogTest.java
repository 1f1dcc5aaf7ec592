package io.meshcode.bus;

import static io.meshcode.bus.LogFeed.entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.EventWatcher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Delivery-state changes in the replay log")
class DeliveryLogTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.LOG);

  private static String send(Mesh mesh, String from, String to, String text) {
    return client.sender(mesh, from, to).post(mesh.agentPath(from) + "/messages", new JsonObject().put("to", to).put("text", text))
        .expect(201).getString("id");
  }

  private static JsonObject take(Mesh mesh, String agent) {
    return client.owner(mesh, agent).post(mesh.agentPath(agent) + "/inbox/take", new JsonObject()).expect(200);
  }

  private static void ack(Mesh mesh, String agent, String cursor) {
    client.owner(mesh, agent).post(mesh.agentPath(agent) + "/ack", new JsonObject().put("cursor", cursor)).expect(200);
  }

  private static List<JsonObject> ofType(List<JsonObject> log, String type) {
    return log.stream().filter(entry -> type.equals(entry.getString("type"))).toList();
  }

  private static List<Object> ids(JsonObject entry) {
    return entry.getJsonObject("payload").getJsonArray("message_ids").getList();
  }

  @Test
  @DisplayName("a wait's read logs message.delivered and an ack message.read, once each, naming the messages that changed")
  void deliveredThenRead() {
    Mesh mesh = Mesh.fresh();
    String first = send(mesh, "alice", "bob", "one");
    String second = send(mesh, "alice", "bob", "two");
    JsonObject taken = take(mesh, "bob");
    assertThat(taken.getJsonArray("messages")).hasSize(2);
    take(mesh, "bob");
    ack(mesh, "bob", taken.getString("cursor"));
    ack(mesh, "bob", taken.getString("cursor"));

    List<JsonObject> log = entries(client.spectator(mesh), mesh, "");
    assertThat(log).extracting(entry -> entry.getString("type"))
        .as("a read or ack that changes nothing logs nothing")
        .containsExactly("message.sent", "message.sent", "message.delivered", "message.read");
    JsonObject delivered = log.get(2);
    assertThat(delivered.getLong("seq")).isEqualTo(3L);
    assertThat(delivered.getString("agent")).isEqualTo("bob");
    assertThat(ids(delivered)).containsExactly(first, second);
    assertThat(delivered.getJsonArray("recipients")).isEqualTo(new JsonArray().add("alice"));
    JsonObject read = log.get(3);
    assertThat(read.getLong("seq")).isEqualTo(4L);
    assertThat(read.getString("agent")).isEqualTo("bob");
    assertThat(ids(read)).containsExactly(first, second);

    JsonObject announced = watcher.await(Topics.LOG, mesh.id(), records -> records.size() == 2, Duration.ofSeconds(20)).stream()
        .map(record -> new JsonObject(record.value()))
        .filter(record -> read.getString("id").equals(record.getString("id")))
        .findFirst().orElseThrow();
    assertThat(announced.getLong("seq")).as("announced on mesh.log as the stream reads it").isEqualTo(4L);
    assertThat(announced.getString("meshwork")).isEqualTo(mesh.id());
    assertThat(announced.getString("type")).isEqualTo("message.read");
    assertThat(announced.getString("agent")).isEqualTo("bob");
    assertThat(announced.getJsonObject("payload")).isEqualTo(read.getJsonObject("payload"));
    assertThat(announced.getJsonArray("recipients")).isEqualTo(new JsonArray().add("alice"));
  }

  @Test
  @DisplayName("an ack without a wait's read logs only message.read; a later message is delivered in its own entry")
  void onlyWhatChanged() {
    Mesh mesh = Mesh.fresh();
    String first = send(mesh, "alice", "bob", "one");
    JsonObject peeked = client.owner(mesh, "bob").get(mesh.agentPath("bob") + "/inbox").expect(200);
    ack(mesh, "bob", peeked.getString("cursor"));
    String second = send(mesh, "alice", "bob", "two");
    take(mesh, "bob");

    List<JsonObject> log = entries(client.spectator(mesh), mesh, "");
    assertThat(log).extracting(entry -> entry.getString("type"))
        .containsExactly("message.sent", "message.read", "message.sent", "message.delivered");
    assertThat(ids(log.get(1))).containsExactly(first);
    assertThat(ids(log.get(3))).containsExactly(second);
  }

  @Test
  @DisplayName("a wait carrying an ack logs message.read for what it acknowledged, then message.delivered for what it hands over")
  void ackCarriedByWait() {
    Mesh mesh = Mesh.fresh();
    String first = send(mesh, "alice", "bob", "one");
    JsonObject taken = take(mesh, "bob");
    String second = send(mesh, "alice", "bob", "two");
    JsonObject next = client.owner(mesh, "bob").post(mesh.agentPath("bob") + "/inbox/take",
        new JsonObject().put("ack", taken.getString("cursor"))).expect(200);
    assertThat(next.getInteger("acked")).isEqualTo(1);

    List<JsonObject> log = entries(client.spectator(mesh), mesh, "");
    assertThat(log).extracting(entry -> entry.getString("type"))
        .containsExactly("message.sent", "message.delivered", "message.sent", "message.read", "message.delivered");
    assertThat(ids(log.get(3))).containsExactly(first);
    assertThat(ids(log.get(4))).containsExactly(second);
    assertThat(log).extracting(entry -> entry.getLong("seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  @DisplayName("a wait's read logs the status change it makes right after its delivery changes, in the same numbering")
  void statusChangeAfterDeliveries() {
    Mesh mesh = Mesh.fresh();
    Caller bob = client.owner(mesh, "bob");
    BusClient.open(bob, mesh, "bob");
    bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject().put("park_seconds", 30)).expect(200);
    String id = send(mesh, "alice", "bob", "one");
    bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject().put("park_seconds", 30)).expect(200);

    List<JsonObject> log = entries(client.spectator(mesh), mesh, "");
    assertThat(log).extracting(entry -> entry.getString("type")).containsExactly(
        "session.opened", "agent.status", "agent.status", "message.sent", "message.delivered", "agent.status");
    assertThat(log).extracting(entry -> entry.getLong("seq")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(ids(log.get(4))).containsExactly(id);
    assertThat(log.get(5).getString("agent")).isEqualTo("bob");
    assertThat(log.get(5).getJsonObject("payload")).isEqualTo(new JsonObject().put("from", "waiting").put("to", "working"));
    assertThat(log.get(2).getJsonObject("payload")).isEqualTo(new JsonObject().put("from", "online").put("to", "waiting"));
  }

  @Test
  @DisplayName("a guest sees the delivery entries of messages its agent sent or received, and no other sender's message ids")
  void guests() {
    Mesh mesh = Mesh.fresh();
    String fromAlice = send(mesh, "alice", "bob", "from alice");
    String fromCarol = send(mesh, "carol", "bob", "from carol");
    send(mesh, "alice", "dave", "not for bob");
    take(mesh, "bob");

    List<JsonObject> all = ofType(entries(client.spectator(mesh), mesh, ""), "message.delivered");
    assertThat(all).as("one entry per sender of the batch").hasSize(2);
    assertThat(all).extracting(DeliveryLogTest::ids).containsExactly(List.of(fromAlice), List.of(fromCarol));

    assertThat(ofType(entries(client.guest(mesh, "bob"), mesh, ""), "message.delivered"))
        .extracting(DeliveryLogTest::ids).containsExactly(List.of(fromAlice), List.of(fromCarol));
    assertThat(ofType(entries(client.guest(mesh, "alice"), mesh, ""), "message.delivered"))
        .extracting(DeliveryLogTest::ids).containsExactly(List.of(fromAlice));
    assertThat(ofType(entries(client.guest(mesh, "carol"), mesh, ""), "message.delivered"))
        .extracting(DeliveryLogTest::ids).containsExactly(List.of(fromCarol));
    assertThat(ofType(entries(client.guest(mesh, "dave"), mesh, ""), "message.delivered")).isEmpty();
  }
}
