package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Messages and the wait loop through real gateways, invites and bus, the way agents use them. */
@DisplayName("Messaging through the gateway")
class MessagingIT {

  private static MeshFixture mesh;
  private static String owner;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(2);
    owner = mesh.newOwner("owner");
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static String agentPath(String mw, String agent) {
    return "/v1/meshworks/" + mw + "/agents/" + agent;
  }

  private static JsonObject send(String mw, String from, Object to, String text) {
    return mesh.expect(201, "POST", agentPath(mw, from) + "/messages", owner, new JsonObject().put("to", to).put("text", text));
  }

  private static JsonObject waitFor(int gateway, String mw, String agent, String query) {
    return mesh.expectAt(gateway, 200, "GET", agentPath(mw, agent) + "/wait" + query, owner, null);
  }

  private static CompletableFuture<JsonObject> waitAsync(int gateway, String mw, String agent, String query) {
    return CompletableFuture.supplyAsync(() -> waitFor(gateway, mw, agent, query));
  }

  private static List<String> texts(JsonObject batch) {
    JsonArray messages = batch.getJsonArray("messages");
    return IntStream.range(0, messages.size()).mapToObj(i -> messages.getJsonObject(i).getString("text")).toList();
  }

  /** Until the agent shows {@code status} in its meshwork (a wait parks asynchronously). */
  private static void awaitStatus(String mw, String agent, String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      JsonArray agents = mesh.expect(200, "GET", "/v1/meshworks/" + mw, owner, null).getJsonArray("agents");
      String current = agents.stream().map(a -> (JsonObject) a).filter(a -> agent.equals(a.getString("name")))
          .findFirst().orElseThrow().getString("status");
      if (status.equals(current)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(agent + " stayed " + current + ", expected " + status);
      }
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("a wait returns unread messages at once; after an ack it holds until the wait ends and returns an empty batch")
  void waitAndAck() {
    String mw = mesh.meshwork(owner, "wa", "alice", "bob");
    JsonObject sent = send(mw, "alice", "bob", "hello");
    assertThat(sent.getJsonArray("recipients").getJsonObject(0).getString("state")).isEqualTo("queued");
    assertThat(sent.getJsonArray("recipients").getJsonObject(0).getString("status")).isEqualTo("offline");

    JsonObject batch = waitFor(0, mw, "bob", "?timeout=5");
    assertThat(texts(batch)).containsExactly("hello");
    assertThat(batch.getJsonArray("messages").getJsonObject(0).getString("from")).isEqualTo("alice");
    JsonObject states = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/messages/" + sent.getString("id"), owner, null);
    assertThat(states.getJsonArray("recipients").getJsonObject(0).getString("state")).isEqualTo("delivered");

    mesh.expect(200, "POST", agentPath(mw, "bob") + "/ack", owner, new JsonObject().put("cursor", batch.getString("cursor")));
    assertThat(mesh.expect(200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).getLong("unread")).isZero();

    long started = System.nanoTime();
    JsonObject empty = waitFor(0, mw, "bob", "?timeout=1");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    assertThat(empty.getJsonArray("messages")).isEmpty();
    assertThat(empty.getString("cursor")).isEqualTo(batch.getString("cursor"));
    assertThat(empty.getBoolean("more")).isFalse();
  }

  @Test
  @DisplayName("a wait carrying the last batch's cursor as ack acknowledges it before it parks, and its answer says how many it turned read")
  void ackCarriedByWait() throws Exception {
    String mw = mesh.meshwork(owner, "wk", "alice", "bob");
    String first = send(mw, "alice", "bob", "one").getString("id");
    JsonObject batch = waitFor(0, mw, "bob", "?timeout=5");
    assertThat(texts(batch)).containsExactly("one");
    String cursor = batch.getString("cursor");

    CompletableFuture<JsonObject> parked = waitAsync(1, mw, "bob", "?timeout=30&ack=" + cursor);
    // Acknowledged by the wait's first read, before anything wakes it.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (mesh.expect(200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).getLong("unread") > 0) {
      assertThat(System.nanoTime()).as("acknowledged within 10 s").isLessThan(deadline);
      sleep(50);
    }
    JsonObject states = mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/messages/" + first, owner, null);
    assertThat(states.getJsonArray("recipients").getJsonObject(0).getString("state")).isEqualTo("read");
    assertThat(parked).isNotDone();

    send(mw, "alice", "bob", "two");
    JsonObject woken = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(texts(woken)).containsExactly("two");
    assertThat(woken.getInteger("acked")).isEqualTo(1);

    String tag = cursor.substring(cursor.indexOf('.') + 1);
    JsonObject refused = mesh.expect(400, "GET", agentPath(mw, "bob") + "/wait?timeout=5&ack=99." + tag, owner, null);
    assertThat(refused.getJsonObject("error").getString("message")).isEqualTo("'ack' is ahead of this agent's inbox");
    assertThat(mesh.expect(200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).getLong("unread"))
        .as("the refused wait changed nothing").isEqualTo(1);
  }

  @Test
  @DisplayName("a parked wait is woken by a send through the same gateway and shows its agent waiting meanwhile")
  void wokenLocally() throws Exception {
    String mw = mesh.meshwork(owner, "wl", "alice", "bob");
    mesh.expect(201, "POST", agentPath(mw, "bob") + "/sessions", owner, new JsonObject());
    CompletableFuture<JsonObject> parked = waitAsync(0, mw, "bob", "?timeout=30");
    awaitStatus(mw, "bob", "waiting");
    long sentAt = System.nanoTime();
    send(mw, "alice", "bob", "wake up");
    JsonObject batch = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(texts(batch)).containsExactly("wake up");
    awaitStatus(mw, "bob", "working");
  }

  @Test
  @DisplayName("with two gateways, a wait parked on one is woken by a send through the other")
  void wokenAcrossGateways() throws Exception {
    String mw = mesh.meshwork(owner, "wx", "alice", "bob");
    mesh.expect(201, "POST", agentPath(mw, "bob") + "/sessions", owner, new JsonObject());
    CompletableFuture<JsonObject> parked = waitAsync(1, mw, "bob", "?timeout=30");
    awaitStatus(mw, "bob", "waiting");
    long sentAt = System.nanoTime();
    mesh.expectAt(0, 201, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "bob").put("text", "across"));
    JsonObject batch = parked.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(texts(batch)).containsExactly("across");
  }

  @Test
  @DisplayName("two waits for one agent at once are both answered with the same message")
  void concurrentWaits() throws Exception {
    String mw = mesh.meshwork(owner, "cw", "alice", "bob");
    mesh.expect(201, "POST", agentPath(mw, "bob") + "/sessions", owner, new JsonObject());
    CompletableFuture<JsonObject> first = waitAsync(0, mw, "bob", "?timeout=30");
    CompletableFuture<JsonObject> second = waitAsync(1, mw, "bob", "?timeout=30");
    awaitStatus(mw, "bob", "waiting");
    sleep(300);
    send(mw, "alice", "bob", "both");
    assertThat(texts(first.get(20, java.util.concurrent.TimeUnit.SECONDS))).containsExactly("both");
    assertThat(texts(second.get(20, java.util.concurrent.TimeUnit.SECONDS))).containsExactly("both");
  }

  @Test
  @DisplayName("broadcast reaches every other agent; several recipients and a linked meshwork's agent each get it")
  void broadcastSeveralLinked() {
    String mw = mesh.meshwork(owner, "bc", "alice", "bob", "carol");
    String other = mesh.meshwork(owner, "ot", "dave");
    mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/links", owner, new JsonObject().put("target", other));

    JsonObject all = send(mw, "alice", "*", "to all");
    assertThat(all.getJsonArray("recipients").stream().map(r -> ((JsonObject) r).getString("agent"))).containsExactly("bob", "carol");
    JsonObject several = send(mw, "bob", new JsonArray().add("alice").add(other + "/dave"), "two of you");
    assertThat(several.getJsonArray("recipients").stream().map(r -> ((JsonObject) r).getString("agent")))
        .containsExactly("alice", other + "/dave");

    assertThat(texts(waitFor(0, mw, "carol", "?timeout=0"))).containsExactly("to all");
    assertThat(texts(waitFor(0, mw, "alice", "?timeout=0"))).containsExactly("two of you");
    JsonObject atDave = waitFor(0, other, "dave", "?timeout=0");
    assertThat(texts(atDave)).containsExactly("two of you");
    assertThat(atDave.getJsonArray("messages").getJsonObject(0).getString("from")).isEqualTo(mw + "/bob");
  }

  @Test
  @DisplayName("every gateway sees a membership change: a new agent is reachable at once, a removed one soon stops being")
  void membershipChangesReachEveryReplica() {
    String mw = mesh.meshwork(owner, "mc", "alice", "bob");
    // Both replicas learn the meshwork's shape: for agent routes, a named recipient and a broadcast.
    for (int gateway = 0; gateway < 2; gateway++) {
      mesh.expectAt(gateway, 201, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "bob").put("text", "warm"));
      mesh.expectAt(gateway, 201, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "*").put("text", "warm"));
      mesh.expectAt(gateway, 200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null);
    }

    mesh.expectAt(0, 201, "POST", "/v1/meshworks/" + mw + "/agents", owner, new JsonObject().put("name", "carol"));
    // A name the other replica has not seen is asked for, never refused from what it remembers.
    mesh.expectAt(1, 201, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "carol").put("text", "hi carol"));
    mesh.expectAt(1, 200, "GET", agentPath(mw, "carol") + "/inbox/count", owner, null);
    assertThat(broadcastRecipients(0, mw)).containsExactly("bob", "carol");
    awaitAtReplica(1, () -> broadcastRecipients(1, mw).contains("carol"), "a broadcast through the other replica to include carol");

    mesh.expectAt(0, 204, "DELETE", agentPath(mw, "bob"), owner, null);
    assertThat(mesh.call(0, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "bob").put("text", "x")).statusCode())
        .isEqualTo(404);
    awaitAtReplica(1, () -> mesh.call(1, "POST", agentPath(mw, "alice") + "/messages", owner,
        new JsonObject().put("to", "bob").put("text", "gone?")).statusCode() == 404, "a send to the removed bob to be 404");
    awaitAtReplica(1, () -> mesh.call(1, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).statusCode() == 404,
        "the removed bob's inbox to be 404");
  }

  private static List<String> broadcastRecipients(int gateway, String mw) {
    return mesh.expectAt(gateway, 201, "POST", agentPath(mw, "alice") + "/messages", owner, new JsonObject().put("to", "*").put("text", "all"))
        .getJsonArray("recipients").stream().map(r -> ((JsonObject) r).getString("agent")).toList();
  }

  /** Well within the cache's 10 s lifetime: only the change travelling over Kafka can make it true in time. */
  private static void awaitAtReplica(int gateway, java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 4 s at gateway " + gateway + " for " + what);
      }
      sleep(50);
    }
  }

  @Test
  @DisplayName("assigning a task wakes the assignee's wait with a notice")
  void taskAssignmentNotifies() throws Exception {
    String mw = mesh.meshwork(owner, "ta", "lead", "bob");
    CompletableFuture<JsonObject> parked = waitAsync(0, mw, "bob", "?timeout=30");
    sleep(300);
    JsonObject task = mesh.expect(201, "POST", agentPath(mw, "lead") + "/tasks", owner,
        new JsonObject().put("title", "Write the parser").put("assignee", "bob"));
    JsonObject batch = parked.get(20, java.util.concurrent.TimeUnit.SECONDS);
    JsonObject notice = batch.getJsonArray("messages").getJsonObject(0);
    assertThat(notice.getString("kind")).isEqualTo("event");
    assertThat(notice.getString("from")).isEqualTo("lead");
    assertThat(notice.getJsonObject("data").getString("task_id")).isEqualTo(task.getString("id"));
  }

  @Test
  @DisplayName("an unknown recipient is 404 naming it, and nothing is sent to the others")
  void unknownRecipient() {
    String mw = mesh.meshwork(owner, "ur", "alice", "bob");
    var response = mesh.call("POST", agentPath(mw, "alice") + "/messages", owner,
        new JsonObject().put("to", new JsonArray().add("bob").add("zed")).put("text", "hi"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("unknown_recipient").contains("zed");
    assertThat(mesh.expect(200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).getLong("unread")).isZero();
  }

  @Test
  @DisplayName("bad input is a 400 naming the problem and stores nothing")
  void badInput() {
    String mw = mesh.meshwork(owner, "bi", "alice", "bob");
    String messages = agentPath(mw, "alice") + "/messages";
    assertThat(mesh.call("POST", messages, owner, new JsonObject().put("to", "bob").put("text", "")).body()).contains("'text' must not be empty");
    assertThat(mesh.call("POST", messages, owner, new JsonObject().put("to", "bob").put("text", "x".repeat(70_000))).body())
        .contains("'text' must be at most 65536 bytes");
    assertThat(mesh.call("POST", messages, owner, new JsonObject().put("to", new JsonArray().add(1)).put("text", "x")).statusCode()).isEqualTo(400);
    assertThat(mesh.call("POST", messages, owner, new JsonObject().put("to", "bob")).statusCode()).isEqualTo(400);
    var malformed = io.meshcode.testkit.TestHttp.call(mesh.gatewayPort(0), "POST", messages, owner, "{\"to\":\"bob\",\"text\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    var empty = io.meshcode.testkit.TestHttp.call(mesh.gatewayPort(0), "POST", messages, owner, "");
    assertThat(empty.statusCode()).isEqualTo(400);
    var oversized = io.meshcode.testkit.TestHttp.call(mesh.gatewayPort(0), "POST", messages, owner,
        new JsonObject().put("to", "bob").put("text", "x".repeat(300_000)).encode());
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(mesh.call("GET", agentPath(mw, "bob") + "/wait?timeout=999", owner, null).body())
        .contains("'timeout' must be a whole number of seconds between 0 and 55");
    String alicesCursor = waitFor(0, mw, "alice", "?timeout=0").getString("cursor");
    assertThat(mesh.call("GET", agentPath(mw, "bob") + "/wait?timeout=0&after=" + alicesCursor, owner, null).body())
        .contains("a cursor of another agent's inbox");
    assertThat(mesh.expect(200, "GET", agentPath(mw, "bob") + "/inbox/count", owner, null).getLong("unread")).isZero();
  }

  @Test
  @DisplayName("a guest waits for its own agent only, and a spectator cannot wait")
  void waitScopes() {
    String mw = mesh.meshwork(owner, "ws", "alice", "bob");
    String guestKey = mesh.join(owner, mw, "bob", "Bo").getString("key");
    send(mw, "alice", "bob", "for the guest");
    assertThat(texts(mesh.expect(200, "GET", agentPath(mw, "bob") + "/wait?timeout=0", guestKey, null))).containsExactly("for the guest");
    assertThat(mesh.call("GET", agentPath(mw, "alice") + "/wait?timeout=0", guestKey, null).statusCode()).isEqualTo(404);
    String spectator = mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/spectator-links", owner, new JsonObject()).getString("token");
    assertThat(mesh.call("GET", agentPath(mw, "bob") + "/wait?timeout=0", spectator, null).statusCode()).isEqualTo(403);
    // A guest sends as its own agent only.
    assertThat(mesh.call("POST", agentPath(mw, "alice") + "/messages", guestKey, new JsonObject().put("to", "bob").put("text", "x"))
        .statusCode()).isEqualTo(404);
    mesh.expect(201, "POST", agentPath(mw, "bob") + "/messages", guestKey, new JsonObject().put("to", "alice").put("text", "from the guest"));
  }
}
