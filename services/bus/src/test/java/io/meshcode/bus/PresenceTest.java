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
  @DisplayName("an agent is working once it opens, idle without activity, and working again after a busy heartbeat or a tool call")
  void idleAndWorking() {
    Mesh mesh = Mesh.fresh();
    Caller agent = client.guest(mesh, "builder");
    String session = open(agent, mesh, "builder").getString("session_id");
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");

    awaitStatus(agent, mesh, "builder", "idle", WAIT);
    Instant seen = Instant.parse(BusClient.presenceOf(agent, mesh, "builder").getString("last_seen"));
    assertThat(heartbeat(agent, mesh, "builder", session).expect(200).getString("status"))
        .as("a heartbeat alone is no activity").isEqualTo("idle");
    assertThat(Instant.parse(BusClient.presenceOf(agent, mesh, "builder").getString("last_seen"))).isAfter(seen);

    assertThat(heartbeat(agent, mesh, "builder", session, BUSY).expect(200).getString("status")).isEqualTo("working");
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");

    awaitStatus(agent, mesh, "builder", "idle", WAIT);
    heartbeat(agent, mesh, "builder", session).expect(200);
    agent.post(mesh.agentPath("builder") + "/activity", new JsonObject()).expect(204);
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");
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
    assertThat(statusOf(agent, mesh, "builder")).isEqualTo("working");
    BusClient.heartbeat(agent, mesh, "builder", session).expectError(410, "gone", "the session ended; open a new one");
  }
}
