package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.EventWatcher;
import io.meshcode.testkit.EventWatcher.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Messages: send, inbox, take, ack and delivery states")
class MessagesTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(BusClient.FAST);

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.MESSAGES);

  private static JsonObject message(String to, String text) {
    return new JsonObject().put("to", to).put("text", text);
  }

  private static JsonObject send(Caller sender, Mesh mesh, String from, JsonObject body) {
    return sender.post(mesh.agentPath(from) + "/messages", body).expect(201);
  }

  private static JsonObject take(Caller reader, Mesh mesh, String agent, JsonObject body) {
    return reader.post(mesh.agentPath(agent) + "/inbox/take", body).expect(200);
  }

  private static long unread(Caller reader, Mesh mesh, String agent) {
    return reader.get(mesh.agentPath(agent) + "/inbox/count").expect(200).getLong("unread");
  }

  @Test
  @DisplayName("a message to an offline agent is accepted as queued; peek and count change nothing; take delivers; ack reads")
  void lifecycle() {
    Mesh mesh = Mesh.fresh();
    JsonObject sent = send(client.sender(mesh, "alice", "bob"), mesh, "alice",
        message("bob", "hello bob").put("data", new JsonObject().put("pr", 12)));
    assertThat(sent.getJsonArray("recipients")).containsExactly(
        new JsonObject().put("agent", "bob").put("state", "queued").put("status", "offline").putNull("delivered_at").putNull("read_at"));
    String id = sent.getString("id");

    Caller bob = client.owner(mesh, "bob");
    JsonObject peeked = bob.get(mesh.agentPath("bob") + "/inbox").expect(200);
    assertThat(peeked.getJsonArray("messages")).hasSize(1);
    JsonObject first = peeked.getJsonArray("messages").getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(id);
    assertThat(first.getString("from")).isEqualTo("alice");
    assertThat(first.getString("to")).isEqualTo("bob");
    assertThat(first.getString("kind")).isEqualTo("message");
    assertThat(first.getString("text")).isEqualTo("hello bob");
    assertThat(first.getJsonObject("data")).isEqualTo(new JsonObject().put("pr", 12));
    assertThat(unread(bob, mesh, "bob")).isEqualTo(1);
    Caller alice = client.owner(mesh, "alice");
    assertThat(stateOf(alice, mesh, id)).isEqualTo("queued");

    JsonObject taken = take(bob, mesh, "bob", new JsonObject());
    assertThat(taken.getJsonArray("messages")).hasSize(1);
    assertThat(taken.getBoolean("more")).isFalse();
    assertThat(stateOf(alice, mesh, id)).isEqualTo("delivered");
    assertThat(unread(bob, mesh, "bob")).isEqualTo(1);

    JsonObject acked = bob.post(mesh.agentPath("bob") + "/ack", new JsonObject().put("cursor", taken.getString("cursor"))).expect(200);
    assertThat(acked.getInteger("acked")).isEqualTo(1);
    assertThat(stateOf(alice, mesh, id)).isEqualTo("read");
    assertThat(unread(bob, mesh, "bob")).isZero();
    JsonObject empty = bob.get(mesh.agentPath("bob") + "/inbox").expect(200);
    assertThat(empty.getJsonArray("messages")).isEmpty();
    assertThat(empty.getString("cursor")).isEqualTo(taken.getString("cursor"));
  }

  private static String stateOf(Caller caller, Mesh mesh, String id) {
    return caller.get("/meshworks/" + mesh.name() + "/messages/" + id).expect(200)
        .getJsonArray("recipients").getJsonObject(0).getString("state");
  }

  @Test
  @DisplayName("an inbox returns messages in the order they were accepted, in batches with a cursor and whether more wait")
  void order() {
    Mesh mesh = Mesh.fresh();
    Caller alice = client.sender(mesh, "alice", "bob");
    Caller carol = client.sender(mesh, "carol", "bob");
    for (int i = 0; i < 12; i++) {
      send(i % 2 == 0 ? alice : carol, mesh, i % 2 == 0 ? "alice" : "carol", message("bob", "m" + i));
    }
    Caller bob = client.owner(mesh, "bob");
    JsonObject first = take(bob, mesh, "bob", new JsonObject().put("limit", 5));
    assertThat(texts(first)).containsExactly("m0", "m1", "m2", "m3", "m4");
    assertThat(first.getBoolean("more")).isTrue();
    JsonObject second = take(bob, mesh, "bob", new JsonObject().put("limit", 5).put("after", first.getString("cursor")));
    assertThat(texts(second)).containsExactly("m5", "m6", "m7", "m8", "m9");
    JsonObject third = take(bob, mesh, "bob", new JsonObject().put("limit", 5).put("after", second.getString("cursor")));
    assertThat(texts(third)).containsExactly("m10", "m11");
    assertThat(third.getBoolean("more")).isFalse();
    JsonObject exactlyTheRest = take(bob, mesh, "bob", new JsonObject().put("limit", 7).put("after", first.getString("cursor")));
    assertThat(texts(exactlyTheRest)).hasSize(7).endsWith("m11");
    assertThat(exactlyTheRest.getBoolean("more")).as("a full batch that ends the inbox").isFalse();
    // Not acknowledged: a wait from the start hands the same messages again (at least once).
    assertThat(texts(take(bob, mesh, "bob", new JsonObject().put("limit", 2)))).containsExactly("m0", "m1");
  }

  private static List<String> texts(JsonObject batch) {
    JsonArray messages = batch.getJsonArray("messages");
    return IntStream.range(0, messages.size()).mapToObj(i -> messages.getJsonObject(i).getString("text")).toList();
  }

  @Test
  @DisplayName("a resend with the same id is stored once and answers 200 with the current states; another sender's reuse is 409")
  void idempotentResend() {
    Mesh mesh = Mesh.fresh();
    String id = Ids.newId();
    Caller alice = client.sender(mesh, "alice", "bob");
    JsonObject body = message("bob", "once").put("id", id);
    assertThat(send(alice, mesh, "alice", body).getString("id")).isEqualTo(id);
    ApiResponse again = alice.post(mesh.agentPath("alice") + "/messages", body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().getString("id")).isEqualTo(id);
    assertThat(unread(client.owner(mesh, "bob"), mesh, "bob")).isEqualTo(1);
    send(alice, mesh, "alice", message("bob", "twice"));
    assertThat(LogFeed.entries(client.spectator(mesh), mesh, "")).as("the resend is logged once and takes no number")
        .extracting(entry -> entry.getLong("seq")).containsExactly(1L, 2L);
    assertThat(LogFeed.entries(client.spectator(mesh), mesh, "").get(0).getString("id")).isEqualTo(id);

    client.sender(mesh, "carol", "bob").post(mesh.agentPath("carol") + "/messages", body).expectError(409, "id_taken",
        "a message with id " + id + " exists already; choose another id");
  }

  @Test
  @DisplayName("a message to several agents and to an agent of a linked meshwork reaches each inbox, the sender named meshwork/agent across")
  void severalAndLinked() {
    Mesh mesh = Mesh.fresh();
    Mesh other = Mesh.fresh();
    JsonArray resolved = new JsonArray()
        .add(new JsonObject().put("meshwork_id", mesh.id()).put("meshwork", mesh.name()).put("agent", "bob"))
        .add(new JsonObject().put("meshwork_id", other.id()).put("meshwork", other.name()).put("agent", "dave"));
    Caller alice = client.as(client.owner(mesh, "alice").principal()
        .vouching(new JsonObject().put("meshwork_name", mesh.name()).put("recipients", resolved)));
    JsonObject sent = send(alice, mesh, "alice", new JsonObject().put("to", new JsonArray().add("bob").add(other.name() + "/dave")).put("text", "hi"));
    assertThat(sent.getJsonArray("recipients").stream().map(r -> ((JsonObject) r).getString("agent")))
        .containsExactly("bob", other.name() + "/dave");

    JsonObject atDave = take(client.owner(other, "dave"), other, "dave", new JsonObject());
    assertThat(atDave.getJsonArray("messages").getJsonObject(0).getString("from")).isEqualTo(mesh.name() + "/alice");
    JsonObject atBob = take(client.owner(mesh, "bob"), mesh, "bob", new JsonObject());
    assertThat(atBob.getJsonArray("messages").getJsonObject(0).getString("from")).isEqualTo("alice");

    // Each recipient's state, the linked one's too, in the sender's view.
    JsonArray states = client.owner(mesh, "alice").get("/meshworks/" + mesh.name() + "/messages/" + sent.getString("id")).expect(200)
        .getJsonArray("recipients");
    assertThat(states.stream().map(r -> ((JsonObject) r).getString("agent") + "=" + ((JsonObject) r).getString("state")))
        .containsExactly("bob=delivered", other.name() + "/dave=delivered");
  }

  @Test
  @DisplayName("each accepted message goes to mesh.messages with its full payload and each recipient's inbox position")
  void published() {
    Mesh mesh = Mesh.fresh();
    String id = send(client.sender(mesh, "alice", "bob", "carol"), mesh, "alice",
        new JsonObject().put("to", "*").put("text", "all hands").put("kind", "request").put("thread_id", "t-1")).getString("id");
    List<Received> records = watcher.await(Topics.MESSAGES, mesh.id(), r -> !r.isEmpty(), Duration.ofSeconds(20));
    Received record = records.get(0);
    assertThat(record.type()).isEqualTo("message.sent");
    assertThat(record.event().id()).isEqualTo(id);
    assertThat(record.event().agent()).isEqualTo("alice");
    JsonObject payload = record.payload();
    assertThat(payload.getString("text")).isEqualTo("all hands");
    assertThat(payload.getString("kind")).isEqualTo("request");
    assertThat(payload.getString("thread_id")).isEqualTo("t-1");
    assertThat(payload.getString("to")).isEqualTo("*");
    assertThat(payload.getJsonArray("recipients").stream().map(r -> ((JsonObject) r).getString("agent"))).containsExactly("bob", "carol");
    assertThat(payload.getJsonArray("recipients").getJsonObject(0).getLong("seq")).isPositive();
    JsonArray log = new JsonObject(record.value()).getJsonArray("log");
    assertThat(log).as("its replay-log entry, for the gateways' streams").hasSize(1);
    assertThat(log.getJsonObject(0).getString("meshwork")).isEqualTo(mesh.id());
    assertThat(log.getJsonObject(0).getString("agent")).isEqualTo("alice");
    assertThat(log.getJsonObject(0).getJsonArray("recipients")).containsExactly("bob", "carol");
    assertThat(log.getJsonObject(0).getLong("seq")).isPositive();
  }

  @Test
  @DisplayName("a reply joins the thread of the message it answers")
  void replyThread() {
    Mesh mesh = Mesh.fresh();
    String question = send(client.sender(mesh, "alice", "bob"), mesh, "alice", message("bob", "question?").put("kind", "request")).getString("id");
    JsonObject reply = send(client.sender(mesh, "bob", "alice"), mesh, "bob",
        message("alice", "answer").put("kind", "reply").put("reply_to", question));
    assertThat(reply.getString("thread_id")).isEqualTo(question);
  }

  @Test
  @DisplayName("a parked wait makes the agent waiting; a wait that hands over messages makes it working")
  void waitingStatus() {
    Mesh mesh = Mesh.fresh();
    Caller bob = client.owner(mesh, "bob");
    String session = BusClient.open(bob, mesh, "bob").getString("session_id");
    take(bob, mesh, "bob", new JsonObject().put("park_seconds", 30));
    assertThat(BusClient.statusOf(bob, mesh, "bob")).isEqualTo("waiting");
    send(client.sender(mesh, "alice", "bob"), mesh, "alice", message("bob", "work"));
    take(bob, mesh, "bob", new JsonObject().put("park_seconds", 30));
    assertThat(BusClient.statusOf(bob, mesh, "bob")).isEqualTo("working");
    // A wait that ended without a renewal stops counting once its grace has passed.
    take(bob, mesh, "bob", new JsonObject().put("after", "1." + cursorTag(bob, mesh)).put("park_seconds", 1));
    assertThat(BusClient.statusOf(bob, mesh, "bob")).isEqualTo("waiting");
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while ("waiting".equals(BusClient.statusOf(bob, mesh, "bob")) && System.nanoTime() < deadline) {
      BusClient.heartbeat(bob, mesh, "bob", session).expect(200); // the lease (3 s here) outlives the wait
      BusClient.sleep(300);
    }
    assertThat(BusClient.statusOf(bob, mesh, "bob")).isEqualTo("idle");
  }

  private static String cursorTag(Caller caller, Mesh mesh) {
    String cursor = caller.get(mesh.agentPath("bob") + "/inbox").expect(200).getString("cursor");
    return cursor.substring(cursor.indexOf('.') + 1);
  }

  @Test
  @DisplayName("bad sends are 400s naming the problem, and nothing is stored")
  void badSends() {
    Mesh mesh = Mesh.fresh();
    Caller alice = client.sender(mesh, "alice", "bob");
    String path = mesh.agentPath("alice") + "/messages";
    Map<JsonObject, String> cases = Map.ofEntries(
        Map.entry(new JsonObject().put("to", "bob"), "'text' is required"),
        Map.entry(message("bob", "  "), "'text' must not be empty"),
        Map.entry(message("bob", "x".repeat(64 * 1024 + 1)), "'text' must be at most 65536 bytes (UTF-8)"),
        Map.entry(message("bob", "é".repeat(40_000)), "'text' must be at most 65536 bytes (UTF-8)"),
        Map.entry(new JsonObject().put("to", 7).put("text", "x"), "'to' must be a string or a list of strings"),
        Map.entry(new JsonObject().put("to", new JsonArray().add("bob").add(3)).put("text", "x"), "'to' must hold only recipient names (strings)"),
        Map.entry(new JsonObject().put("to", new JsonArray()).put("text", "x"), "'to' must name at least one recipient"),
        Map.entry(new JsonObject().put("text", "x"), "'to' is required: an agent, a list of agents, '*' or 'meshwork/agent'"),
        Map.entry(message("bob", "x").put("kind", "shout"), "'kind' must be one of message, request, reply, event"),
        Map.entry(message("bob", "x").put("kind", "reply"), "'reply_to' is required for a message of kind reply"),
        Map.entry(message("bob", "x").put("id", "not-an-id"), "'id' must be a UUID"),
        Map.entry(message("bob", "x").put("reply_to", "nope"), "'reply_to' must be the id of a message"),
        Map.entry(message("bob", "x").put("data", "\u0000"), "'data' must not contain NUL characters"),
        Map.entry(message("bob", "x").put("data", new JsonObject().put("blob", "y".repeat(70_000))), "'data' must be at most 65536 bytes as JSON"),
        Map.entry(message("bob", "x").put("colour", "red"), "unknown field 'colour'; expected id, to, kind, text, data, thread_id, reply_to"));
    cases.forEach((body, error) -> alice.post(path, body).expectError(400, "bad_request", error));
    assertThat(unread(client.owner(mesh, "bob"), mesh, "bob")).isZero();
  }

  @Test
  @DisplayName("a send whose recipients the gateway did not resolve is refused, and a spectator cannot send")
  void unresolvedAndSpectator() {
    Mesh mesh = Mesh.fresh();
    client.owner(mesh, "alice").post(mesh.agentPath("alice") + "/messages", message("bob", "x"))
        .expectError(403, "forbidden", "this send's recipients were not resolved by the gateway");
    client.spectator(mesh).post(mesh.agentPath("alice") + "/messages", message("bob", "x")).expect(403);
  }

  @Test
  @DisplayName("cursors: another agent's is 400, one ahead of the inbox cannot be acknowledged, a foreign string is 400")
  void cursors() {
    Mesh mesh = Mesh.fresh();
    send(client.sender(mesh, "alice", "bob"), mesh, "alice", message("bob", "x"));
    Caller bob = client.owner(mesh, "bob");
    Caller carol = client.owner(mesh, "carol");
    String carolsCursor = carol.get(mesh.agentPath("carol") + "/inbox").expect(200).getString("cursor");
    bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject().put("after", carolsCursor))
        .expectError(400, "bad_request", "'after' is a cursor of another agent's inbox");
    bob.post(mesh.agentPath("bob") + "/ack", new JsonObject().put("cursor", carolsCursor))
        .expectError(400, "bad_request", "'cursor' is a cursor of another agent's inbox");
    String tag = cursorTag(bob, mesh);
    bob.post(mesh.agentPath("bob") + "/ack", new JsonObject().put("cursor", "99." + tag))
        .expectError(400, "bad_request", "'cursor' is ahead of this agent's inbox");
    bob.get(mesh.agentPath("bob") + "/inbox?after=garbage").expectError(400, "bad_request", "'after' is not a cursor this service gave out");
    bob.get(mesh.agentPath("bob") + "/inbox?limit=0").expectError(400, "bad_request", "'limit' must be a whole number between 1 and 500");
    bob.post(mesh.agentPath("bob") + "/inbox/take", new JsonObject().put("park_seconds", 9999))
        .expectError(400, "bad_request", "'park_seconds' must be between 0 and 600");
    assertThat(unread(bob, mesh, "bob")).isEqualTo(1);
  }

  @Test
  @DisplayName("a read carrying an ack acknowledges first, in the same step: what it read turns read, and reading goes on after it")
  void ackCarriedByRead() {
    Mesh mesh = Mesh.fresh();
    Caller alice = client.sender(mesh, "alice", "bob");
    String first = send(alice, mesh, "alice", message("bob", "one")).getString("id");
    Caller bob = client.owner(mesh, "bob");
    JsonObject taken = take(bob, mesh, "bob", new JsonObject());
    assertThat(texts(taken)).containsExactly("one");
    assertThat(taken.containsKey("acked")).as("a read that carries no ack says nothing of one").isFalse();
    String second = send(alice, mesh, "alice", message("bob", "two")).getString("id");

    // No 'after': reading starts after the acknowledged position.
    JsonObject next = take(bob, mesh, "bob", new JsonObject().put("ack", taken.getString("cursor")));
    assertThat(next.getInteger("acked")).isEqualTo(1);
    assertThat(texts(next)).containsExactly("two");
    Caller sender = client.owner(mesh, "alice");
    assertThat(stateOf(sender, mesh, first)).isEqualTo("read");
    assertThat(stateOf(sender, mesh, second)).isEqualTo("delivered");
    assertThat(unread(bob, mesh, "bob")).isEqualTo(1);

    // The same ack again: nothing more turns read, and nothing is handed twice past it.
    JsonObject again = take(bob, mesh, "bob", new JsonObject().put("ack", taken.getString("cursor")));
    assertThat(again.getInteger("acked")).isZero();
    assertThat(texts(again)).containsExactly("two");
    JsonObject last = take(bob, mesh, "bob", new JsonObject().put("ack", next.getString("cursor")));
    assertThat(last.getInteger("acked")).isEqualTo(1);
    assertThat(last.getJsonArray("messages")).isEmpty();
    assertThat(last.getString("cursor")).isEqualTo(next.getString("cursor"));
    assertThat(unread(bob, mesh, "bob")).isZero();
  }

  @Test
  @DisplayName("a read carrying a bad ack is a 400 that changes nothing: no state, no cursor, no status")
  void badAckCarriedByRead() {
    Mesh mesh = Mesh.fresh();
    Caller bob = client.owner(mesh, "bob");
    BusClient.open(bob, mesh, "bob");
    String id = send(client.sender(mesh, "alice", "bob"), mesh, "alice", message("bob", "x")).getString("id");
    assertThat(BusClient.statusOf(bob, mesh, "bob")).isEqualTo("online");
    String tag = cursorTag(bob, mesh);
    String take = mesh.agentPath("bob") + "/inbox/take";
    bob.post(take, new JsonObject().put("ack", "99." + tag).put("park_seconds", 30))
        .expectError(400, "bad_request", "'ack' is ahead of this agent's inbox");
    String carolsCursor = client.owner(mesh, "carol").get(mesh.agentPath("carol") + "/inbox").expect(200).getString("cursor");
    bob.post(take, new JsonObject().put("ack", carolsCursor)).expectError(400, "bad_request", "'ack' is a cursor of another agent's inbox");
    bob.post(take, new JsonObject().put("ack", "garbage")).expectError(400, "bad_request", "'ack' is not a cursor this service gave out");

    assertThat(stateOf(client.owner(mesh, "alice"), mesh, id)).as("not delivered by the refused read").isEqualTo("queued");
    assertThat(unread(bob, mesh, "bob")).isEqualTo(1);
    assertThat(BusClient.statusOf(bob, mesh, "bob")).as("not parked by the refused read").isEqualTo("online");
  }

  @Test
  @DisplayName("a guest sees the delivery states of its own agent's messages only")
  void guestStates() {
    Mesh mesh = Mesh.fresh();
    String id = send(client.sender(mesh, "alice", "bob"), mesh, "alice", message("bob", "x")).getString("id");
    client.guest(mesh, "alice").get("/meshworks/" + mesh.name() + "/messages/" + id).expect(200);
    client.guest(mesh, "bob").get("/meshworks/" + mesh.name() + "/messages/" + id).expect(404);
    client.spectator(mesh).get("/meshworks/" + mesh.name() + "/messages/" + id).expect(200);
    client.owner(Mesh.fresh(), "alice").get("/meshworks/" + mesh.name() + "/messages/" + id).expect(404);
  }
}
