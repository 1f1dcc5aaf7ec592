package io.meshcode.bus;

import static io.meshcode.bus.BusClient.awaitStatus;
import static io.meshcode.bus.BusClient.heartbeat;
import static io.meshcode.bus.BusClient.open;
import static io.meshcode.bus.BusClient.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Statuses that change with time, against a bus with 3 s leases, idle after 1 s and a sweep every 200 ms. */
@DisplayName("Presence over time")
class PresenceTest {

  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final JsonObject BUSY = new JsonObject().put("busy", true);

  @RegisterExtension
  static final BusClient client = BusClient.perClass(BusClient.FAST);

  @Test
  @DisplayName("an agent is online once it opens until it does something, working after a tool call or a busy heartbeat, and idle without activity")
  void idleAndWorking() {
    Mesh mesh = Mesh.fresh();
    Caller agent = client.guest(mesh, "builder");
    String session = open(agent, mesh, "builder").getString("session_id");
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("online");
    // An agent active after the builder opened turns idle only once the builder too is past the idle window.
    Caller marker = client.guest(mesh, "marker");
    open(marker, mesh, "marker");
    marker.post(mesh.agentPath("marker") + "/activity", new JsonObject()).expect(204);
    awaitStatus(marker, mesh, "marker", "idle", WAIT);
    assertThat(statusOf(agent, mesh, "builder")).as("what never started does not turn idle").isEqualTo("online");
    assertThat(heartbeat(agent, mesh, "builder", session).expect(200).getString("status"))
        .as("a heartbeat alone is no activity").isEqualTo("online");

    agent.post(mesh.agentPath("builder") + "/activity", new JsonObject()).expect(204);
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");

    awaitStatus(agent, mesh, "builder", "idle", WAIT);
    Instant seen = Instant.parse(BusClient.presenceOf(agent, mesh, "builder").getString("last_seen"));
    assertThat(heartbeat(agent, mesh, "builder", session).expect(200).getString("status"))
        .as("a heartbeat alone is no activity").isEqualTo("idle");
    assertThat(Instant.parse(BusClient.presenceOf(agent, mesh, "builder").getString("last_seen"))).isAfter(seen);

    assertThat(heartbeat(agent, mesh, "builder", session, BUSY).expect(200).getString("status")).isEqualTo("working");
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");
  }

  @Test
  @DisplayName("an agent that did nothing is online again once its empty wait is over, working once a wait hands over messages, online again when taken over")
  void onlineAroundWaits() {
    Mesh mesh = Mesh.fresh();
    Caller bob = client.owner(mesh, "bob");
    String session = open(bob, mesh, "bob").getString("session_id");
    String take = mesh.agentPath("bob") + "/inbox/take";
    bob.post(take, new JsonObject().put("park_seconds", 1)).expect(200);
    assertThat(statusOf(bob, mesh, "bob")).isEqualTo("waiting");
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while ("waiting".equals(statusOf(bob, mesh, "bob")) && System.nanoTime() < deadline) {
      heartbeat(bob, mesh, "bob", session).expect(200); // the lease (3 s here) outlives the wait and its grace
      BusClient.sleep(300);
    }
    assertThat(statusOf(bob, mesh, "bob")).as("a wait that ends empty is no activity").isEqualTo("online");

    client.sender(mesh, "alice", "bob").post(mesh.agentPath("alice") + "/messages",
        new JsonObject().put("to", "bob").put("text", "work")).expect(201);
    bob.post(take, new JsonObject()).expect(200);
    assertThat(statusOf(bob, mesh, "bob")).isEqualTo("working");

    assertThat(open(bob, mesh, "bob", new JsonObject().put("take_over", true)).expect(201).getBoolean("took_over")).isTrue();
    assertThat(statusOf(bob, mesh, "bob")).as("the new window has done nothing yet").isEqualTo("online");
  }

  @Test
  @DisplayName("a lease that runs out without heartbeats makes the agent offline, ends its session and blocks no new one")
  void leaseExpiry() {
    Mesh mesh = Mesh.fresh();
    Caller agent = client.owner(mesh, "builder");
    String session = open(agent, mesh, "builder").getString("session_id");
    awaitStatus(agent, mesh, "builder", "offline", WAIT);

    BusClient.heartbeat(agent, mesh, "builder", session).expectError(410, "gone", "the session ended; open a new one");
    agent.post(mesh.agentPath("builder") + "/activity", new JsonObject()).expect(204);
    assertThat(statusOf(agent, mesh, "builder")).as("activity without a lease").isEqualTo("offline");

    JsonObject reopened = open(agent, mesh, "builder");
    assertThat(reopened.getBoolean("took_over")).isFalse();
    assertThat(statusOf(agent, mesh, "builder")).as("the activity before it opened does not count").isEqualTo("online");
    BusClient.heartbeat(agent, mesh, "builder", session).expectError(410, "gone", "the session ended; open a new one");
  }
}
