package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sends as large as the API allows: a broadcast in a meshwork of 200 agents, and a list of 100,
 * through two gateways to real services. No size the API document allows may fail on a limit of
 * the hop between the gateway and the bus.
 */
@DisplayName("Broadcasts to many agents")
class BroadcastIT {

  private static final int AGENTS = 200;
  private static MeshFixture mesh;
  private static String owner;
  private static String mw;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(2);
    owner = mesh.newOwner("owner");
    String[] agents = IntStream.range(0, AGENTS).mapToObj(i -> i == 0 ? "lead" : "agent-" + i).toArray(String[]::new);
    mw = mesh.meshwork(owner, "crowd", agents);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static String agentPath(String agent) {
    return "/v1/meshworks/" + mw + "/agents/" + agent;
  }

  @Test
  @DisplayName("a send to * in a meshwork of 200 agents answers 201 and wakes every parked recipient, on both gateways")
  void broadcastToEveryone() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(AGENTS);
    try {
      List<CompletableFuture<JsonObject>> waits = new ArrayList<>();
      for (int i = 1; i < AGENTS; i++) {
        int gateway = i % 2;
        String agent = "agent-" + i;
        waits.add(CompletableFuture.supplyAsync(
            () -> mesh.expectAt(gateway, 200, "GET", agentPath(agent) + "/wait?timeout=50", owner, null), threads));
      }
      Thread.sleep(2_000);
      long sentAt = System.nanoTime();
      JsonObject sent = mesh.expect(201, "POST", agentPath("lead") + "/messages", owner,
          new JsonObject().put("to", "*").put("text", "all hands"));
      assertThat(sent.getJsonArray("recipients")).hasSize(AGENTS - 1);
      CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - sentAt) / 1_000_000;
      for (CompletableFuture<JsonObject> wait : waits) {
        JsonArray messages = wait.get().getJsonArray("messages");
        assertThat(messages).hasSize(1);
        assertThat(messages.getJsonObject(0).getString("text")).isEqualTo("all hands");
      }
      assertThat(tookMs).as("every wait answered well before its own timeout").isLessThan(30_000L);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("a send to a list of 100 agents answers 201 with a state for each")
  void listOfHundred() {
    JsonArray to = new JsonArray();
    IntStream.rangeClosed(1, 100).forEach(i -> to.add("agent-" + i));
    JsonObject sent = mesh.expect(201, "POST", agentPath("lead") + "/messages", owner,
        new JsonObject().put("to", to).put("text", "the hundred"));
    assertThat(sent.getJsonArray("recipients")).hasSize(100);
  }
}
